// The router's own refusals answer like every other bad request: 400 in the error shape, not echoing the URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type TestContext } from '../testing/harness.ts';

describe('router refusals', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await testApp();
  });
  afterAll(() => ctx.close());

  it('a path parameter over the length limit answers 400 invalid without the URL', async () => {
    const s = await login(ctx.app, 'sagsbehandler');
    const long = 'æ'.repeat(300);
    const res = await s.request({ method: 'GET', url: `/api/citizens/${encodeURIComponent(long)}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid', message: 'The URL is not valid' });
    expect(res.body).not.toContain('æææ');
  });

  it('a malformed percent-encoding in the path answers 400 invalid without the URL', async () => {
    const s = await login(ctx.app, 'sagsbehandler');
    const res = await s.request({ method: 'GET', url: '/api/citizens/%E0%A4%A-secret' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid' });
    expect(res.body).not.toContain('secret');
  });
});
