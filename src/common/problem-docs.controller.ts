import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from './openapi.shapes';
import { Public } from '../identity/public.decorator';
import { NotFound } from './http-errors';
import { PROBLEM_TYPES } from './problem-types';

const escape = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The page each problem `type` URI points at, so the URI resolves for a person who follows it. */
@Public()
@ApiTags('problems')
@Controller('docs/problems')
export class ProblemDocsController {
  @Get(':slug')
  @ApiOperation({
    operationId: 'getProblemType',
    summary: 'What a problem type means',
    description: "Every problem answer's `type` is one of these relative URIs.",
  })
  @ApiParam({ name: 'slug', enum: [...PROBLEM_TYPES.keys()] })
  @ApiOkResponse({
    description: 'A short HTML page',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiProblems(404)
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(@Param('slug') slug: string): string {
    const doc = PROBLEM_TYPES.get(slug);
    if (!doc) throw new NotFound(`No problem type ${slug}.`);
    const title = escape(doc.title);
    return (
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
      `<body><h1>${title}</h1><p>HTTP status ${doc.status}.</p>` +
      `<p>${escape(doc.description).replace(/`([^`]+)`/g, '<code>$1</code>')}</p></body></html>`
    );
  }
}
