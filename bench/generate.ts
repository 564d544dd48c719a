/** Generated inputs shared by the benchmarks (deterministic). */

/** A compose file of about `targetLines` lines; with `secrets`, every fourth service has a literal API token. */
export function generateCompose(targetLines: number, opts: { secrets?: boolean } = {}): string {
  const out = ['services:'];
  for (let i = 0; out.length < targetLines; i++) {
    out.push(
      `  svc-${i}:`,
      `    image: ${i % 3 === 0 ? 'ollama/ollama' : i % 3 === 1 ? 'redis:7.2' : `example/app-${i}:1.${i}`}`,
      '    restart: unless-stopped',
      '    ports:',
      `      - "${i % 2 ? '127.0.0.1:' : ''}${10000 + i}:${8000 + (i % 50)}"`,
      '    environment:',
      `      - OLLAMA_BASE_URL=http://svc-${Math.max(0, i - 1)}:11434`,
      `      - LOG_LEVEL=${i % 2 ? 'info' : 'debug'}`,
      ...(opts.secrets ? [`      - API_TOKEN=${i % 4 ? '${API_TOKEN}' : `t0k3n-${(i * 7919).toString(36)}-v4lu3`}`] : []),
      '    volumes:',
      `      - data-${i}:/data`,
      '    depends_on:',
      `      - svc-${Math.max(0, i - 1)}`,
    );
  }
  return out.join('\n') + '\n';
}
