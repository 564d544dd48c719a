/**
 * What the rules know about well-known services, shared by every format: which have no
 * authentication of their own, which stream responses, which need WebSockets, and which are
 * reverse proxies whose 80/443 are meant to be public. Users extend it through settings.
 */

export interface ServiceInfo {
  /** Display name used in messages. */
  name: string;
  /** Image repositories (without registry host or tag), e.g. `ollama/ollama`. */
  images?: string[];
  /** The ports the service listens on inside its container or on its host. */
  ports?: number[];
  /** Host or upstream names it is commonly reached by (`ollama` in `http://ollama:11434`). */
  hostnames?: string[];
  noAuth?: boolean;
  streaming?: boolean;
  websocket?: boolean;
  reverseProxy?: boolean;
}

export const BUILTIN_SERVICES: readonly ServiceInfo[] = [
  { name: 'Ollama', images: ['ollama/ollama'], ports: [11434], hostnames: ['ollama'], noAuth: true, streaming: true },
  { name: 'vLLM', images: ['vllm/vllm-openai'], ports: [8000], hostnames: ['vllm'], streaming: true },
  { name: 'llama.cpp server', images: ['ggerganov/llama.cpp', 'ggml-org/llama.cpp'], ports: [8080], hostnames: ['llamacpp', 'llama-cpp', 'llama.cpp'], noAuth: true, streaming: true },
  { name: 'LocalAI', images: ['localai/localai', 'quay.io/go-skynet/local-ai', 'go-skynet/local-ai'], ports: [8080], hostnames: ['localai', 'local-ai'], noAuth: true, streaming: true },
  { name: 'LiteLLM', images: ['berriai/litellm', 'litellm/litellm'], ports: [4000], hostnames: ['litellm'], streaming: true },
  { name: 'Open WebUI', images: ['open-webui/open-webui'], ports: [8080], hostnames: ['open-webui', 'openwebui'], streaming: true, websocket: true },
  { name: 'text-generation-webui', images: ['atinoda/text-generation-webui'], ports: [7860, 5000], hostnames: [], noAuth: true, streaming: true },
  { name: 'ComfyUI', images: ['yanwk/comfyui-boot'], ports: [8188], hostnames: ['comfyui'], noAuth: true, websocket: true },
  { name: 'Qdrant', images: ['qdrant/qdrant'], ports: [6333, 6334], hostnames: ['qdrant'], noAuth: true },
  { name: 'ChromaDB', images: ['chromadb/chroma'], ports: [8000], hostnames: ['chroma', 'chromadb'], noAuth: true },
  { name: 'Docker API', images: ['docker'], ports: [2375], hostnames: [], noAuth: true },
  { name: 'Redis', images: ['redis', 'bitnami/redis', 'redis/redis-stack', 'redis/redis-stack-server', 'valkey/valkey'], ports: [6379], hostnames: ['redis', 'valkey'], noAuth: true },
  { name: 'Memcached', images: ['memcached', 'bitnami/memcached'], ports: [11211], hostnames: ['memcached'], noAuth: true },
  { name: 'Elasticsearch', images: ['elasticsearch', 'elasticsearch/elasticsearch', 'docker.elastic.co/elasticsearch/elasticsearch'], ports: [9200, 9300], hostnames: ['elasticsearch'], noAuth: true },
  { name: 'Prometheus', images: ['prom/prometheus', 'prometheus/prometheus'], ports: [9090], hostnames: ['prometheus'], noAuth: true },
  { name: 'Node exporter', images: ['prom/node-exporter', 'quay.io/prometheus/node-exporter'], ports: [9100], hostnames: ['node-exporter'], noAuth: true },
  { name: 'MongoDB', images: ['mongo', 'bitnami/mongodb'], ports: [27017], hostnames: ['mongo', 'mongodb'] },
  { name: 'SearXNG', images: ['searxng/searxng'], ports: [8080], hostnames: ['searxng'], noAuth: true },
  { name: 'Caddy', images: ['caddy', 'lucaslorentz/caddy-docker-proxy'], ports: [80, 443], hostnames: ['caddy'], reverseProxy: true },
  { name: 'nginx', images: ['nginx', 'nginxinc/nginx-unprivileged', 'bitnami/nginx', 'nginxproxy/nginx-proxy', 'jwilder/nginx-proxy', 'linuxserver/swag', 'lscr.io/linuxserver/swag', 'jc21/nginx-proxy-manager', 'openresty/openresty'], ports: [80, 443], hostnames: ['nginx'], reverseProxy: true },
  { name: 'Traefik', images: ['traefik'], ports: [80, 443], hostnames: ['traefik'], reverseProxy: true },
  { name: 'HAProxy', images: ['haproxy'], ports: [80, 443], hostnames: ['haproxy'], reverseProxy: true },
];

export interface ImageRef {
  /** Repository path without registry host and without `library/`, e.g. `ollama/ollama`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits `registry:5000/org/name:tag@sha256:…` into its parts. */
export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  // A first component with a dot or a port, or `localhost`, is a registry host.
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) {
    const host = parts.shift()!;
    // Keep well-known hosts that are part of the identity of a few images (quay.io, ghcr.io projects).
    if (host !== 'docker.io' && host !== 'index.docker.io' && host !== 'registry-1.docker.io' && host !== 'ghcr.io' && host !== 'lscr.io') {
      parts.unshift(host);
    }
  }
  if (parts[0] === 'library' && parts.length === 2) parts.shift();
  return { repository: parts.join('/').toLowerCase(), tag, digest };
}

/** Ports too many unrelated programs use to say which service is behind them. */
const GENERIC_PORTS = new Set([80, 443, 3000, 5000, 8000, 8080, 8081, 8443, 8888, 9000]);

export class ServiceKnowledge {
  readonly all: readonly ServiceInfo[];

  constructor(extra: readonly ServiceInfo[] = []) {
    // The user's entries come first so they win over the built-in ones.
    this.all = [...extra, ...BUILTIN_SERVICES];
  }

  byImage(image: string | undefined): ServiceInfo | undefined {
    if (!image) return undefined;
    const { repository } = parseImage(image);
    return this.all.find((s) => s.images?.some((i) => i.toLowerCase() === repository));
  }

  /** A no-auth service recognised by its distinctive port (never by 80, 8000, 8080 and the like). */
  byPort(port: number | undefined): ServiceInfo | undefined {
    if (port === undefined || GENERIC_PORTS.has(port)) return undefined;
    return this.all.find((s) => !s.reverseProxy && s.noAuth && s.ports?.[0] === port);
  }

  byHostname(host: string | undefined): ServiceInfo | undefined {
    if (!host) return undefined;
    const h = host.toLowerCase();
    return this.all.find((s) => s.hostnames?.some((n) => n.toLowerCase() === h));
  }
}

export type AddressClass = 'exposed' | 'loopback' | 'private' | 'unknown';

/**
 * Whether a listen address is reachable from outside: `0.0.0.0`, `::`, empty and public IPs are;
 * loopback, private ranges, link-local and Tailscale's 100.64.0.0/10 are not. Names are unknown.
 */
export function classifyAddress(address: string): AddressClass {
  let a = address.trim().toLowerCase();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  if (a === '' || a === '*' || a === '0.0.0.0' || a === '::' || a === '0:0:0:0:0:0:0:0') return 'exposed';
  if (a === 'localhost' || a === 'ip6-localhost') return 'loopback';
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4) {
    const [o1, o2] = [Number(v4[1]), Number(v4[2])];
    if ([1, 2, 3, 4].some((i) => Number(v4[i]) > 255)) return 'unknown';
    if (o1 === 127) return 'loopback';
    if (o1 === 10 || (o1 === 172 && o2 >= 16 && o2 <= 31) || (o1 === 192 && o2 === 168)) return 'private';
    if (o1 === 169 && o2 === 254) return 'private';
    if (o1 === 100 && o2 >= 64 && o2 <= 127) return 'private';
    return 'exposed';
  }
  if (a.includes(':') && /^[0-9a-f:.]+$/.test(a)) {
    if (a === '::1') return 'loopback';
    if (/^f[cd][0-9a-f]{2}:/.test(a) || /^fe[89ab][0-9a-f]:/.test(a)) return 'private';
    if (a.startsWith('fd7a:115c:a1e0:')) return 'private';
    if (a.startsWith('::ffff:')) return classifyAddress(a.slice(7));
    return 'exposed';
  }
  return 'unknown';
}
