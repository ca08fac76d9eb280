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
// JWT mode (opt-in: environment OAUTH_JWT_AUDIENCE=URL, t/lib/oauth.sh
// oauth_start_jwt): access tokens become RS256 JWTs (RFC 9068) for that
// resource server, checked locally by mod_oauth2 against /jwks; see the
// block "JWT access tokens" below.
//
// usage: node server.mjs PORT CERT KEY LOG [AT_TTL_SECONDS]
import fs from 'node:fs';
import https from 'node:https';
import Provider, { errors } from 'oidc-provider';

const [port, certFile, keyFile, logFile, atTtl = '3600'] = process.argv.slice(2);
const issuer = `https://127.0.0.1:${port}`;
let delayMs = 0;

// ---- JWT access tokens (opt-in) ----------------------------------------
// Two resource servers: the ActiveSync one (audience OAUTH_JWT_AUDIENCE,
// scope "eas") and another API (audience OAUTH_JWT_AUDIENCE + "/other",
// scope "other"), so that a test can hold a valid token of this issuer
// made for someone else. The resource a refresh is for follows the scope
// asked for ("other" -> the other API), as Entra ID's ".default" scopes
// name their resource. POST /test/seed-jwt?sub=NAME mints a refresh token
// granted both; POST /test/jwt-ttl?s=N sets the lifetime of the JWTs
// issued from then on (0: back to AT_TTL).
const jwtAudience = process.env.OAUTH_JWT_AUDIENCE || '';
const jwtOther = `${jwtAudience}/other`;
let jwtTtl = 0;
const jwtServers = {
  [jwtAudience]: 'eas',
  [jwtOther]: 'other',
};
const jwtFeatures = jwtAudience ? {
  resourceIndicators: {
    enabled: true,
    useGrantedResource: async () => true,
    defaultResource: async (ctx, client, oneOf) => {
      const asked = String(ctx.oidc?.params?.scope || '').split(' ');
      const want = asked.includes('other') ? jwtOther : jwtAudience;
      return oneOf ? (oneOf.includes(want) ? want : oneOf[0]) : want;
    },
    getResourceServerInfo: async (ctx, resource) => {
      if (!jwtServers[resource]) throw new errors.InvalidTarget();
      return {
        scope: jwtServers[resource],
        audience: resource,
        accessTokenTTL: jwtTtl || Number(atTtl),
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      };
    },
  },
} : {};
const jwtScopes = jwtAudience ? ['other'] : [];
// A number here would override the resource server's accessTokenTTL.
const jwtAccessTtl = (ctx, token) => token.resourceServer?.accessTokenTTL || Number(atTtl);

async function seedJwt(sub) {
  const scope = 'offline_access eas other';
  const client = await provider.Client.find('check-eas');
  const grant = new provider.Grant({ accountId: sub, clientId: 'check-eas' });
  grant.addOIDCScope('offline_access');
  grant.addResourceScope(jwtAudience, 'eas');
  grant.addResourceScope(jwtOther, 'other');
  const grantId = await grant.save();
  const rt = new provider.RefreshToken({
    accountId: sub, client, grantId, scope, gty: 'authorization_code',
    resource: [jwtAudience, jwtOther],
  });
  return rt.save();
}

async function jwtControls(ctx, next) {
  if (jwtAudience && ctx.path === '/test/seed-jwt' && ctx.method === 'POST') {
    ctx.body = { refresh_token: await seedJwt(String(ctx.query.sub || 'monitor')) };
    return;
  }
  if (jwtAudience && ctx.path === '/test/jwt-ttl' && ctx.method === 'POST') {
    jwtTtl = Number(ctx.query.s || 0);
    ctx.body = { ttl: jwtTtl || Number(atTtl) };
    return;
  }
  await next();
}
// ---- end of JWT access tokens ------------------------------------------

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'check-eas',
    token_endpoint_auth_method: 'none',
    grant_types: ['refresh_token', 'authorization_code',
      // issue 17 items 1 and 4 (helper G): the device code and the password grant
      'urn:ietf:params:oauth:grant-type:device_code', 'password'],
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
  scopes: ['openid', 'offline_access', 'eas', ...jwtScopes],
  rotateRefreshToken: true,
  ttl: {
    AccessToken: jwtAudience ? jwtAccessTtl : Number(atTtl),
    RefreshToken: 90 * 86400,
    Grant: 365 * 86400,
    DeviceCode: () => grantsCtl.deviceTtl, // issue 17 (helper G): /test/device-ttl
  },
  features: {
    devInteractions: { enabled: false },
    // RFC 7662 for the resource server; any client of ours may ask.
    introspection: { enabled: true, allowedPolicy: async () => true },
    // issue 17 (helper G): RFC 8628 for check_eas_oauth_setup
    deviceFlow: { enabled: true },
    ...jwtFeatures,
  },
  findAccount: async (ctx, id) => ({
    accountId: id,
    // preferred_username: what check_eas_oauth_setup names (issue 17, helper G)
    claims: async () => ({ sub: id, preferred_username: `${id}@example.com` }),
  }),
  claims: { openid: ['sub', 'preferred_username'] },
  // Default keys are generated per process: fine for a test.
});
provider.proxy = false;
provider.use(jwtControls);

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

// ---- issue 17 items 1 and 4 (helper G): the device-code flow, the
// password grant and Entra-format errors.
// POST /test/approve?user_code=X&account=monitor   the user signs in and approves
// POST /test/deny?user_code=X                       the user declines (access_denied)
// POST /test/device-ttl?s=N   device codes issued from now on live N s (default 600)
// POST /test/interval?s=N     the interval the device authorization answer names
// POST /test/fail-next?error=E&desc=D[&status=400]  the next token request
//   answers {"error": E, "error_description": D, "error_codes": [the
//   digits after AADSTS in D]} with that status (once)
// The password grant knows one user: monitor / TEST_PASSWORD below.
const TEST_PASSWORD = 'pw-Monitor-7f3a';
const grantsCtl = { deviceTtl: 600, interval: 1, failNext: null };
const userCodeNorm = (c) => String(c || '').toUpperCase().replace(/\W/g, '');

provider.registerGrantType('password', async (ctx) => {
  const { username, password } = ctx.oidc.params;
  const scope = ctx.oidc.params.scope || 'openid offline_access';
  if (username !== 'monitor' || password !== TEST_PASSWORD) {
    throw new errors.InvalidGrant('invalid user name or password');
  }
  const { client } = ctx.oidc;
  const grant = new provider.Grant({ accountId: username, clientId: client.clientId });
  grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const at = new provider.AccessToken({
    accountId: username, client, grantId, gty: 'password', scope,
  });
  const rt = new provider.RefreshToken({
    accountId: username, client, grantId, gty: 'password', scope, rotations: 0,
  });
  ctx.body = {
    access_token: await at.save(),
    expires_in: at.expiration,
    refresh_token: await rt.save(),
    scope,
    token_type: 'Bearer',
  };
}, new Set(['username', 'password', 'scope']));

provider.use(async (ctx, next) => {
  const q = ctx.query;
  if (ctx.path === '/test/approve' && ctx.method === 'POST') {
    const code = await provider.DeviceCode.findByUserCode(userCodeNorm(q.user_code));
    if (!code) {
      ctx.status = 404;
      ctx.body = { error: 'no such user code' };
      return;
    }
    const accountId = String(q.account || 'monitor');
    const scope = code.params.scope || 'openid offline_access';
    const grant = new provider.Grant({ accountId, clientId: code.clientId });
    grant.addOIDCScope(scope);
    code.grantId = await grant.save();
    code.accountId = accountId;
    code.scope = scope;
    code.claims = {};
    code.authTime = Math.floor(Date.now() / 1000);
    await code.save();
    log(`device approved account=${accountId}`);
    ctx.body = { approved: true };
    return;
  }
  if (ctx.path === '/test/deny' && ctx.method === 'POST') {
    const code = await provider.DeviceCode.findByUserCode(userCodeNorm(q.user_code));
    if (code) {
      code.error = 'access_denied';
      code.errorDescription = 'the user declined';
      await code.save();
    }
    ctx.body = { denied: Boolean(code) };
    return;
  }
  if (ctx.path === '/test/device-ttl' && ctx.method === 'POST') {
    grantsCtl.deviceTtl = Number(q.s || 600);
    ctx.body = { ttl: grantsCtl.deviceTtl };
    return;
  }
  if (ctx.path === '/test/interval' && ctx.method === 'POST') {
    grantsCtl.interval = Number(q.s || 1);
    ctx.body = { interval: grantsCtl.interval };
    return;
  }
  if (ctx.path === '/test/fail-next' && ctx.method === 'POST') {
    grantsCtl.failNext = {
      error: String(q.error || 'invalid_grant'),
      desc: String(q.desc || ''),
      status: Number(q.status || 400),
    };
    ctx.body = grantsCtl.failNext;
    return;
  }
  if (ctx.path === '/token' && grantsCtl.failNext) {
    const f = grantsCtl.failNext;
    grantsCtl.failNext = null;
    const m = /AADSTS(\d+)/.exec(f.desc);
    ctx.status = f.status;
    ctx.type = 'application/json';
    ctx.body = {
      error: f.error,
      error_description: f.desc,
      ...(m ? { error_codes: [Number(m[1])] } : {}),
    };
    const raw = await new Promise((resolve) => {
      let d = '';
      ctx.req.on('data', (c) => { d += c; });
      ctx.req.on('end', () => resolve(d));
    });
    const gt = new URLSearchParams(raw).get('grant_type') || '-';
    log(`token grant=${gt} status=${f.status} error=${f.error} injected=1`);
    return;
  }
  await next();
  if (ctx.path === '/device/auth' && ctx.status === 200 && ctx.body?.device_code) {
    ctx.body = { ...ctx.body, interval: grantsCtl.interval };
    log('device authorization status=200');
  }
});
// ---- end of helper G's block

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
