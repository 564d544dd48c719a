import type { FormatModule } from '../core/engine';
import { parseCompose, type ComposeModel } from './model';
import { rule as syntaxError } from './syntax-error';
import { rule as portExposedAllInterfaces } from './port-exposed-all-interfaces';

export const compose: FormatModule<ComposeModel> = {
  format: 'compose',
  parse: (text) => parseCompose(text),
  rules: [syntaxError, portExposedAllInterfaces],
};
