import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions } from 'light-my-request';
import { BASE_PATH } from '../../src/common/api-base-path';
import type { Caller } from './callers';

type Method = 'GET' | 'POST' | 'PUT';

/**
 * One HTTP request, built the way a test reads it: `request.put('/cases/CAS-1').as('client')
 * .set('If-Match', 'W/"2"').send(body)`. Paths are relative to the API's base path. Callers
 * default to operations; `as(null)` sends no token.
 */
export class ApiRequest {
  private method: Method = 'GET';
  private path = '/';
  private caller: Caller | null = 'operations';
  private readonly headers: Record<string, string> = {};
  private body: unknown;

  get(path: string): this {
    return this.to('GET', path);
  }

  post(path: string): this {
    return this.to('POST', path);
  }

  put(path: string): this {
    return this.to('PUT', path);
  }

  as(caller: Caller | null): this {
    this.caller = caller;
    return this;
  }

  set(header: string, value: string): this {
    this.headers[header] = value;
    return this;
  }

  send(body: unknown): this {
    this.body = body;
    return this;
  }

  /** @internal Sends it to the app in process (Fastify's inject: no port, no socket). */
  async injectInto(
    app: NestFastifyApplication,
    tokens: Record<Caller, string>,
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...this.headers };
    if (this.caller !== null) headers.authorization = `Bearer ${tokens[this.caller]}`;
    const options: InjectOptions = {
      method: this.method,
      url: `${BASE_PATH}${this.path}`,
      headers,
    };
    if (this.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      options.payload = JSON.stringify(this.body);
    }
    const response = await app.inject(options);
    const type = String(response.headers['content-type'] ?? '');
    return {
      status: response.statusCode,
      headers: response.headers,
      body: type.includes('json') && response.body ? response.json() : response.body,
    };
  }

  private to(method: Method, path: string): this {
    this.method = method;
    this.path = path;
    return this;
  }
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly body: any;
}
