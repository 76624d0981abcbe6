import type { Caller } from './test-app';

import { BASE_PATH } from '../../../src/common/api-base-path';
import { OpenApiConformance, type Answer, type Description } from './openapi-conformance';

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  /** Who calls; `null` sends no Authorization header. Defaults to operations. */
  as?: Caller | null;
  headers?: Record<string, string>;
  /** Sent as is (no JSON encoding), for malformed-body tests. */
  rawBody?: string;
}

/** The description's own route and its UI are served beside the API, not described in it. */
const isDescriptionItself = (url: string) =>
  url.startsWith('/docs') && !url.startsWith('/docs/problems/');

/**
 * A thin fetch wrapper: real HTTP, real tokens, answers parsed when they are JSON. Every answer
 * must conform to the service's served OpenAPI description, or the request throws.
 */
export class HttpClient {
  private conformance?: Promise<OpenApiConformance>;

  constructor(
    private readonly baseUrl: string,
    private readonly tokens: Partial<Record<Caller, string>>,
  ) {}

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, undefined, options);
  }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, body, options);
  }
  put<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, body, options);
  }

  async request<T>(
    method: string,
    path: string,
    body: unknown,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    const as = options.as === undefined ? 'operations' : options.as;
    const headers: Record<string, string> = { ...options.headers };
    if (as !== null) headers.authorization = `Bearer ${this.tokens[as]}`;
    let payload: string | undefined = options.rawBody;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (
      payload !== undefined &&
      !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
    ) {
      headers['content-type'] = 'application/json';
    }
    const url = /^\/(health|docs|metrics)\b/.test(path) ? path : `${BASE_PATH}${path}`;
    const response = await fetch(`${this.baseUrl}${url}`, { method, headers, body: payload });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && text ? JSON.parse(text) : text;
    if (!isDescriptionItself(url)) {
      const answer = { status: response.status, headers: response.headers, text };
      await this.assertConforms(method, url, answer);
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  /** Throws unless the answer is one the served description documents, body and headers. */
  async assertConforms(method: string, url: string, answer: Answer): Promise<void> {
    const violations = (await this.description()).violations({ method, path: url }, answer);
    if (violations.length > 0) {
      throw new Error(
        `${method} ${url} answered ${answer.status} against its OpenAPI description:\n` +
          `${violations.join('\n')}\n${(answer.text ?? '').slice(0, 2000)}`,
      );
    }
  }

  /** Fetched once per app and compiled lazily, one schema per operation and status. */
  private description(): Promise<OpenApiConformance> {
    this.conformance ??= fetch(`${this.baseUrl}/docs/openapi.json`)
      .then((response) => response.json() as Promise<Description>)
      .then((description) => new OpenApiConformance(description));
    return this.conformance;
  }
}
