// SPDX-License-Identifier: GPL-3.0-or-later
// The authorization server of the tests: oidc-provider (npm, installed
// from t/oauth/package-lock.json by contrib/setup.sh) on 127.0.0.1 over
// https with the test PKI. One public client, "check-eas", with the
// refresh-token grant and rotation on every use (a used refresh token
// used again is refused and its whole grant revoked, as Entra ID may).
//
// The first refresh token, without a browser: POST /test/seed mints one
// through the provider's own models (a Grant and a RefreshToken saved by
// its adapter), as the device-code flow would have left it. Other test
// controls: POST /test/delay?ms=N (the token endpoint answers N ms late),
// POST /test/revoke?token=RT (revoke a refresh token's grant),
// POST /test/revoke-at?token=AT (revoke one access token),
// GET /test/introspect?token=AT (is this access token valid: 200 or 401).
// The resource server (mod_oauth2 in front of the ActiveSync test server)
// introspects access tokens at /token/introspection as client eas-rs.
// Every token endpoint request is one line in LOG:
//   token grant=refresh_token status=200 rotated=1
//
// usage: node server.mjs PORT CERT KEY LOG [AT_TTL_SECONDS]
import fs from 'node:fs';
import https from 'node:https';
import Provider from 'oidc-provider';

const [port, certFile, keyFile, logFile, atTtl = '3600'] = process.argv.slice(2);
const issuer = `https://127.0.0.1:${port}`;
let delayMs = 0;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'check-eas',
    token_endpoint_auth_method: 'none',
    grant_types: ['refresh_token', 'authorization_code'],
    redirect_uris: ['https://127.0.0.1/cb'],
    response_types: ['code'],
  }, {
    // The resource server (Apache's mod_oauth2) asks about tokens here.
    client_id: 'eas-rs',
    client_secret: 'eas-rs-secret',
    grant_types: [],
    redirect_uris: [],
    response_types: [],
  }],
  scopes: ['openid', 'offline_access', 'eas'],
  rotateRefreshToken: true,
  ttl: {
    AccessToken: Number(atTtl),
    RefreshToken: 90 * 86400,
    Grant: 365 * 86400,
  },
  features: {
    devInteractions: { enabled: false },
    // RFC 7662 for the resource server; any client of ours may ask.
    introspection: { enabled: true, allowedPolicy: async () => true },
  },
  findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  // Default keys are generated per process: fine for a test.
});
provider.proxy = false;

const log = (line) => fs.appendFileSync(logFile, `${line}\n`);

async function seed(scope = 'openid offline_access eas') {
  const client = await provider.Client.find('check-eas');
  const grant = new provider.Grant({ accountId: 'monitor', clientId: 'check-eas' });
  grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const rt = new provider.RefreshToken({
    accountId: 'monitor', client, grantId, scope, gty: 'authorization_code',
  });
  return rt.save();
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/test/seed' && ctx.method === 'POST') {
    ctx.body = { refresh_token: await seed() };
    return;
  }
  if (ctx.path === '/test/delay' && ctx.method === 'POST') {
    delayMs = Number(ctx.query.ms || 0);
    ctx.body = { delay: delayMs };
    return;
  }
  if (ctx.path === '/test/introspect') {
    const at = await provider.AccessToken.find(String(ctx.query.token || ''));
    ctx.status = at ? 200 : 401;
    ctx.body = at ? { active: true, sub: at.accountId, exp: at.exp } : { active: false };
    return;
  }
  if (ctx.path === '/test/revoke-at' && ctx.method === 'POST') {
    const at = await provider.AccessToken.find(String(ctx.query.token || ''));
    if (at) await at.destroy();
    ctx.body = { revoked: Boolean(at) };
    return;
  }
  if (ctx.path === '/test/revoke' && ctx.method === 'POST') {
    const rt = await provider.RefreshToken.find(String(ctx.query.token || ''));
    if (rt) {
      const grant = await provider.Grant.find(rt.grantId);
      if (grant) await grant.destroy();
      await rt.destroy();
    }
    ctx.body = { revoked: Boolean(rt) };
    return;
  }
  if (ctx.path === '/token' && delayMs > 0) {
    await new Promise((r) => { setTimeout(r, delayMs); });
    // The client gave up (its -t): do not rotate behind its back, so
    // that a later test's token is not consumed by a request nobody
    // reads. (A real provider may well have rotated: see doc/oauth.md.)
    if (ctx.req.socket.destroyed) {
      log('token abandoned');
      return;
    }
  }
  await next();
  if (ctx.path === '/token') {
    const grantType = ctx.oidc?.params?.grant_type || '-';
    const rotated = ctx.oidc?.entities?.RotatedRefreshToken ? 1 : 0;
    log(`token grant=${grantType} status=${ctx.status} rotated=${rotated}`
      + `${ctx.status !== 200 && ctx.body?.error ? ` error=${ctx.body.error}` : ''}`);
  }
});

https.createServer({
  cert: fs.readFileSync(certFile),
  key: fs.readFileSync(keyFile),
}, provider.callback()).listen(Number(port), '127.0.0.1', () => {
  log(`ready ${issuer}`);
});
