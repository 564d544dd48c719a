import type { FormatModule } from '../core/engine';
import { parseNginx, type NginxModel } from './model';
import { nginxSecretCandidates } from './secrets';
import { includeReferences } from './includes';
import { nginxFacts } from './facts';
import { rule as syntaxError } from './syntax-error';
import { rule as unknownDirective } from './unknown-directive';
import { rule as directiveNotAllowedHere } from './directive-not-allowed-here';
import { rule as wrongArgumentCount } from './wrong-argument-count';
import { rule as proxyWithoutAuth } from './proxy-without-auth';
import { rule as ollamaHostRejected } from './ollama-host-rejected';
import { rule as proxyBufferingEnabled } from './proxy-buffering-enabled';
import { rule as proxyReadTimeoutShort } from './proxy-read-timeout-short';
import { rule as websocketHeadersMissing } from './websocket-headers-missing';
import { rule as ollamaAdminApiExposed } from './ollama-admin-api-exposed';
import { rule as weakTlsProtocols } from './weak-tls-protocols';
import { rule as plainHttpProxy } from './plain-http-proxy';
import { rule as undefinedLimitZone } from './undefined-limit-zone';
import { rule as noRateLimit } from './no-rate-limit';
import { rule as accessLogOff } from './access-log-off';
import { rule as serverTokensOn } from './server-tokens-on';
import { rule as hostHeaderSpoofing } from './host-header-spoofing';
import { rule as aliasTraversal } from './alias-traversal';
import { rule as addHeaderMultiline } from './add-header-multiline';
import { rule as allowWithoutDeny } from './allow-without-deny';
import { rule as validReferersNone } from './valid-referers-none';
import { rule as returnBypassesAllowDeny } from './return-bypasses-allow-deny';
import { rule as addHeaderRedefinition } from './add-header-redefinition';
import { rule as proxySetHeaderRedefinition } from './proxy-set-header-redefinition';
import { rule as ssrfProxyPass } from './ssrf-proxy-pass';
import { rule as httpSplitting } from './http-splitting';
import { rule as statusPageExposed } from './status-page-exposed';
import { rule as weakOriginCheck } from './weak-origin-check';
import { rule as ifIsEvil } from './if-is-evil';
import { rule as proxyPassNormalized } from './proxy-pass-normalized';
import { rule as resolverExternal } from './resolver-external';
import { rule as includeOutsideProject } from './include-outside-project';

export const nginx: FormatModule<NginxModel> = {
  format: 'nginx',
  parse: (text, file) => parseNginx(text, file),
  rules: [
    syntaxError,
    unknownDirective,
    directiveNotAllowedHere,
    wrongArgumentCount,
    proxyWithoutAuth,
    ollamaHostRejected,
    proxyBufferingEnabled,
    proxyReadTimeoutShort,
    websocketHeadersMissing,
    ollamaAdminApiExposed,
    weakTlsProtocols,
    plainHttpProxy,
    undefinedLimitZone,
    noRateLimit,
    accessLogOff,
    serverTokensOn,
    hostHeaderSpoofing,
    aliasTraversal,
    addHeaderMultiline,
    allowWithoutDeny,
    validReferersNone,
    returnBypassesAllowDeny,
    addHeaderRedefinition,
    proxySetHeaderRedefinition,
    ssrfProxyPass,
    httpSplitting,
    statusPageExposed,
    weakOriginCheck,
    ifIsEvil,
    proxyPassNormalized,
    resolverExternal,
    includeOutsideProject,
  ],
  // What secrets/hardcoded-secret checks in an nginx config.
  secretCandidates: nginxSecretCandidates,
  // Every include as an absolute pattern, relative ones read from the main config's folder.
  references: includeReferences,
  // One proxy per http server block: listeners, routes with their targets, auth and rate limit.
  facts: nginxFacts,
};
