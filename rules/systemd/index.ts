import type { FormatModule } from '../core/engine';
import { parseSystemd, type SystemdModel } from './model';
import { rule as syntaxError } from './syntax-error';
import { rule as settingOutsideSection } from './setting-outside-section';
import { rule as unknownSetting } from './unknown-setting';
import { rule as bindsAllInterfaces } from './binds-all-interfaces';
import { rule as execstartNotReset } from './execstart-not-reset';
import { rule as environmentQuoting } from './environment-quoting';
import { rule as environmentReset } from './environment-reset';
import { rule as ollamaOriginsWildcard } from './ollama-origins-wildcard';
import { rule as runsAsRoot } from './runs-as-root';
import { rule as missingHardening } from './missing-hardening';
import { systemdSecretCandidates } from './secrets';
import { systemdFacts } from './facts';

export const systemd: FormatModule<SystemdModel> = {
  format: 'systemd',
  parse: parseSystemd,
  rules: [syntaxError, settingOutsideSection, unknownSetting, bindsAllInterfaces, execstartNotReset, environmentQuoting, environmentReset, ollamaOriginsWildcard, runsAsRoot, missingHardening],
  // What secrets/hardcoded-secret checks in a unit.
  secretCandidates: systemdSecretCandidates,
  facts: systemdFacts,
};
