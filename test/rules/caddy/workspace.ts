/** Caddy workspaces for the import tests: files under /w (the helpers themselves are in test/helpers.ts). */
export { assertWorkspaceFixWorks, placeOf as at, places, workspaceFindings as findingsOf, type Files } from '../../helpers';

export const CADDYFILE = '/w/Caddyfile';

/** A real bcrypt hash (of "portcullis"). */
export const HASH = '$2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG';
