// node verify.mjs <server base URL> <issuer> <audience> <token>
// Verifies an access token with jose, fetching the keys from <base>/.well-known/jwks.json,
// pinning RS256, the issuer and the audience. Prints the verified payload and protected
// header as JSON on stdout; exit 0 when valid, 1 with the reason on stderr otherwise.
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [base, issuer, audience, token] = process.argv.slice(2);
if (!base || !issuer || !audience || !token) {
  console.error('usage: node verify.mjs <base URL> <issuer> <audience> <token>');
  process.exit(2);
}
const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', base));
try {
  const { payload, protectedHeader } = await jwtVerify(token, jwks, {
    algorithms: ['RS256'],
    issuer,
    audience,
    clockTolerance: 60,
  });
  process.stdout.write(JSON.stringify({ payload, protectedHeader }));
} catch (error) {
  process.stderr.write(`${error.code ?? 'ERR'}: ${error.message}`);
  process.exit(1);
}
