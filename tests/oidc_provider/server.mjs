// A real OpenID provider for the sign-in tests: panva's node-oidc-provider (OpenID Certified),
// with static clients and test accounts, on 127.0.0.1. Started by tests/accounts/conftest.py:
//
//   node server.mjs CONFIG.json
//
// CONFIG: {"port", "issuer", "clients": [...], "accounts": {id: claims}, "keys": [jwk...]}.
// It prints "ready" on stdout once it listens. POST /test/tamper {"mode": ...} makes the token
// endpoint hand out a faulty ID token next (wrong audience, expired, bad signature, wrong
// nonce): the faults a relying party must refuse, produced by the provider's own keys.
import { readFileSync } from 'node:fs';
import { createPrivateKey, createSign } from 'node:crypto';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let tamper = null;

const provider = new Provider(config.issuer, {
  clients: config.clients,
  jwks: { keys: config.keys },
  findAccount: async (ctx, id) => {
    const claims = config.accounts[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  // First-party test clients: no consent screen.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  cookies: { keys: ['test-cookie-key'] },
  ttl: { IdToken: 300, AccessToken: 300, AuthorizationCode: 60 },
});

const b64 = (value) => Buffer.from(value).toString('base64url');

function resign(idToken, change) {
  const [header, payload] = idToken.split('.');
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url')), ...change };
  const input = `${header}.${b64(JSON.stringify(claims))}`;
  const key = createPrivateKey({ key: config.keys[0], format: 'jwk' });
  const signature = createSign('RSA-SHA256').update(input).sign(key);
  return `${input}.${signature.toString('base64url')}`;
}

function applyTamper(idToken, mode) {
  const now = Math.floor(Date.now() / 1000);
  switch (mode) {
    case 'wrong-audience': return resign(idToken, { aud: 'someone-else' });
    case 'expired': return resign(idToken, { iat: now - 3600, exp: now - 1800 });
    case 'wrong-nonce': return resign(idToken, { nonce: 'not-yours' });
    case 'wrong-issuer': return resign(idToken, { iss: 'https://evil.example' });
    case 'bad-signature': {
      const [header, payload, signature] = idToken.split('.');
      const bytes = Buffer.from(signature, 'base64url');
      bytes[0] ^= 0xff;
      return `${header}.${payload}.${bytes.toString('base64url')}`;
    }
    default: return idToken;
  }
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/test/tamper' && ctx.method === 'POST') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    tamper = JSON.parse(Buffer.concat(chunks).toString() || '{}').mode || null;
    ctx.body = { tamper };
    return;
  }
  await next();
  if (ctx.path === '/token' && tamper && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: applyTamper(ctx.body.id_token, tamper) };
    tamper = null;
  }
});

const server = provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write('ready\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
