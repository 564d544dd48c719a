import type { FormatModule } from '../core/engine';
import { parseCompose, type ComposeModel } from './model';
import { rule as syntaxError } from './syntax-error';
import { rule as portExposedAllInterfaces } from './port-exposed-all-interfaces';
import { rule as hostNetwork } from './host-network';
import { rule as openwebuiAuthDisabled } from './openwebui-auth-disabled';
import { rule as privileged } from './privileged';
import { rule as dockerSocketMount } from './docker-socket-mount';
import { rule as sensitiveHostMount } from './sensitive-host-mount';
import { rule as noNewPrivilegesMissing } from './no-new-privileges-missing';
import { rule as noResourceLimits } from './no-resource-limits';
import { rule as unpinnedImage } from './unpinned-image';
import { rule as backendNotIsolated } from './backend-not-isolated';
import { rule as envFileNotGitignored } from '../deployment/env-file-not-gitignored';
import { composeFacts } from './facts';

export const compose: FormatModule<ComposeModel> = {
  format: 'compose',
  parse: (text) => parseCompose(text),
  rules: [
    syntaxError,
    portExposedAllInterfaces,
    hostNetwork,
    openwebuiAuthDisabled,
    privileged,
    dockerSocketMount,
    sensitiveHostMount,
    noNewPrivilegesMissing,
    noResourceLimits,
    unpinnedImage,
    backendNotIsolated,
    envFileNotGitignored,
  ],
  facts: composeFacts,
};
