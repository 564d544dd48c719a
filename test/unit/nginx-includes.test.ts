import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, lintWorkspace, only } from '../helpers';
import { lintProject, memoryFileSystem, mergeConfig, Project } from '../../rules';

/** nginx `include` in the workspace (rules/nginx/includes.ts): patterns, where relative ones are read from, who includes whom. */

async function projectOf(files: Record<string, string>): Promise<Project> {
  const fs = memoryFileSystem(files);
  const fail = ({ error }: { error: unknown }) => {
    throw error;
  };
  const project = new Project(fs, { onRuleError: fail });
  await lintProject(project, Object.entries(files).map(([file, text]) => ({ file, text })), { config: mergeConfig({}), onRuleError: fail }, (f) => fs.stamp(f));
  return project;
}

const referencesOf = (project: Project, file: string) => project.all().find((d) => d.facts.file === file)?.references;

describe('nginx includes', () => {
  it('reads relative includes from the folder of the main config, for nginx.conf and for files below it', async () => {
    const project = await projectOf({
      '/w/etc/nginx/nginx.conf': lines('events {}', 'http {', '    include mime.types;', '    include /etc/nginx/conf.d/*.conf;', '    include sites-enabled/*;', '}'),
      '/w/etc/nginx/sites-enabled/site.conf': lines('server {', '    include snippets/ssl.conf;', '    include ../snippets/b.conf;', '}'),
    });
    assert.deepEqual(referencesOf(project, '/w/etc/nginx/nginx.conf'), ['/w/etc/nginx/mime.types', '/etc/nginx/conf.d/*.conf', '/w/etc/nginx/sites-enabled/*']);
    assert.deepEqual(referencesOf(project, '/w/etc/nginx/sites-enabled/site.conf'), ['/w/etc/nginx/snippets/ssl.conf', '/w/etc/nginx/../snippets/b.conf']);
    assert.deepEqual(project.referrers('/w/etc/nginx/sites-enabled/site.conf'), ['/w/etc/nginx/nginx.conf']);
  });

  it('falls back to the file\'s own folder when no nginx.conf is above it', async () => {
    const project = await projectOf({ '/w/conf.d/site.conf': lines('server {', '    include snippets/a.conf;', '}') });
    assert.deepEqual(referencesOf(project, '/w/conf.d/site.conf'), ['/w/conf.d/snippets/a.conf']);
  });

  it('survives a file that includes itself: the repeated include stays unknown, so rules stay quiet', async () => {
    const files = {
      '/w/nginx/nginx.conf': lines('events {}', 'http {', '    include conf.d/*.conf;', '}'),
      '/w/nginx/conf.d/site.conf': lines('include conf.d/site.conf;', 'server {', '    listen 80;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}'),
    };
    const findings = await lintWorkspace(files);
    assert.deepEqual(only(findings, 'nginx/proxy-without-auth'), []);
    // Without the self-include the same server is reported: the quiet comes from the unknown include.
    const plain = { ...files, '/w/nginx/conf.d/site.conf': files['/w/nginx/conf.d/site.conf'].replace('include conf.d/site.conf;\n', '') };
    assert.equal(only(await lintWorkspace(plain), 'nginx/proxy-without-auth').length, 1);
  });

  it('stops following a chain of includes deeper than it follows, and treats what is beyond as unknown', async () => {
    const chain: Record<string, string> = { '/w/nginx/nginx.conf': lines('events {}', 'http {', '    include conf.d/c0.conf;', '}') };
    for (let i = 0; i < 40; i++) chain[`/w/nginx/conf.d/c${i}.conf`] = lines(`include conf.d/c${i + 1}.conf;`);
    chain['/w/nginx/conf.d/c40.conf'] = lines('server {', '    listen 80;', '    location / { proxy_pass http://127.0.0.1:11434; limit_req zone=nope; }', '}');
    const findings = await lintWorkspace(chain);
    assert.deepEqual(only(findings, 'nginx/proxy-without-auth'), []);
    assert.deepEqual(only(findings, 'nginx/undefined-limit-zone'), []);
    // A short chain is followed: the same server is reported, and so is the zone.
    const short = { '/w/nginx/nginx.conf': chain['/w/nginx/nginx.conf'], '/w/nginx/conf.d/c0.conf': lines('include conf.d/c40.conf;'), '/w/nginx/conf.d/c40.conf': chain['/w/nginx/conf.d/c40.conf'] };
    const found = await lintWorkspace(short);
    assert.equal(only(found, 'nginx/proxy-without-auth').length, 1);
    assert.equal(only(found, 'nginx/undefined-limit-zone').length, 1);
  });

  it('pays no heed to an unknown include at the main level (modules), which nothing below inherits', async () => {
    const files = {
      '/w/nginx/nginx.conf': lines('include /etc/nginx/modules-enabled/*.conf;', 'events {}', 'http {', '    include sites-enabled/*;', '}'),
      '/w/nginx/sites-enabled/ai.conf': lines('server {', '    listen 80;', '    location / { proxy_pass http://127.0.0.1:11434; }', '}'),
    };
    assert.equal(only(await lintWorkspace(files), 'nginx/proxy-without-auth').length, 1);
    // The same include inside http could bring auth_basic: quiet.
    const inHttp = { ...files, '/w/nginx/nginx.conf': lines('events {}', 'http {', '    include /etc/nginx/conf.d/*.conf;', '    include sites-enabled/*;', '}') };
    assert.deepEqual(only(await lintWorkspace(inHttp), 'nginx/proxy-without-auth'), []);
  });
});
