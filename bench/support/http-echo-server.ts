/**
 * The baseline: a bare Fastify server that answers a JSON POST with the same JSON, no logging,
 * no plugins. Run as its own process by `http.bench.ts`; prints `listening <url>` when ready.
 */
import Fastify from 'fastify';

async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  app.post('/echo', async (request) => request.body);
  app.get('/echo', async () => ({ hello: 'world' }));
  const address = await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: 0 });
  process.stdout.write(`listening ${address}\n`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
