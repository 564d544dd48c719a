import type { FormatModule } from '../core/engine';
import { parseCaddyfile, type CaddyModel } from './model';
import { rule as syntaxError } from './syntax-error';
import { rule as unknownDirective } from './unknown-directive';
import { rule as undefinedSnippet } from './undefined-snippet';
import { rule as proxyWithoutAuth } from './proxy-without-auth';
import { rule as ollamaHostRejected } from './ollama-host-rejected';
import { rule as plaintextBasicAuthPassword } from './plaintext-basic-auth-password';
import { rule as basicauthRenamed } from './basicauth-renamed';
import { rule as adminApiExposed } from './admin-api-exposed';
import { rule as plainHttpSite } from './plain-http-site';
import { rule as ollamaAdminApiExposed } from './ollama-admin-api-exposed';
import { rule as noRateLimit } from './no-rate-limit';
import { rule as rateLimitUnordered } from './rate-limit-unordered';
import { rule as importOutsideProject } from './import-outside-project';
import { caddySecretCandidates } from './secrets';
import { caddyFacts } from './facts';
import { caddyReferences } from './imports';

export const caddy: FormatModule<CaddyModel> = {
  format: 'caddy',
  parse: (text, file) => parseCaddyfile(text, file),
  rules: [syntaxError, unknownDirective, undefinedSnippet, proxyWithoutAuth, ollamaHostRejected, plaintextBasicAuthPassword, basicauthRenamed, adminApiExposed, plainHttpSite, ollamaAdminApiExposed, noRateLimit, rateLimitUnordered, importOutsideProject],
  // What secrets/hardcoded-secret checks in a Caddyfile.
  secretCandidates: caddySecretCandidates,
  // The files its `import`s pull in, and what its sites say about the deployment.
  references: caddyReferences,
  facts: caddyFacts,
};
