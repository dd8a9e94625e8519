import type { Descriptor, ImageIndex, Platform } from './schema.js';

/** Architecture spellings seen in the wild, mapped to the OCI/GOARCH names. */
const ARCHITECTURE_ALIASES: Readonly<Record<string, string>> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm' };

/** The variant an image gets when it names none (same defaults as containerd's platform matcher). */
const DEFAULT_VARIANTS: Readonly<Record<string, string>> = { arm64: 'v8', arm: 'v7' };

interface PlatformFilter {
  os: string;
  architecture: string;
  variant?: string;
}

/** `linux/arm64/v8` -> `{ os: 'linux', architecture: 'arm64', variant: 'v8' }`. */
function parsePlatform(text: string): PlatformFilter {
  const [os, architecture, variant, ...rest] = text.trim().toLowerCase().split('/');
  if (os === undefined || os === '' || architecture === undefined || architecture === '' || variant === '' || rest.length > 0) {
    throw new Error(`"${text}" is not a platform; write os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8`);
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

function formatPlatform(platform: Platform | PlatformFilter): string {
  return [platform.os, platform.architecture, platform.variant].filter((part) => part !== undefined && part !== '').join('/');
}

function normalizedArchitecture(architecture: string): string {
  const lower = architecture.toLowerCase();
  return ARCHITECTURE_ALIASES[lower] ?? lower;
}

function effectiveVariant(architecture: string, variant: string | undefined): string | undefined {
  return variant === undefined || variant === '' ? DEFAULT_VARIANTS[architecture] : variant.toLowerCase();
}

function platformMatches(platform: Platform, filter: PlatformFilter): boolean {
  const architecture = normalizedArchitecture(platform.architecture);
  const wantedArchitecture = normalizedArchitecture(filter.architecture);
  if (platform.os.toLowerCase() !== filter.os || architecture !== wantedArchitecture) return false;
  const wantedVariant = effectiveVariant(wantedArchitecture, filter.variant);
  // No variant asked for and none implied (amd64): any variant of the architecture will do.
  if (wantedVariant === undefined) return true;
  return effectiveVariant(architecture, platform.variant) === wantedVariant;
}

/**
 * Children of an index for the given platforms (`os/arch[/variant]`; `linux/arm64` also matches `arm64/v8`).
 * Without platforms, every child is returned, attestation manifests included.
 */
function selectPlatformManifests(index: ImageIndex, platforms?: readonly string[]): Descriptor[] {
  if (platforms === undefined || platforms.length === 0) return [...index.manifests];
  const filters = platforms.map(parsePlatform);
  return index.manifests.filter((child) => {
    const platform = child.platform;
    return platform !== undefined && filters.some((filter) => platformMatches(platform, filter));
  });
}

export { formatPlatform, parsePlatform, platformMatches, selectPlatformManifests };
export type { PlatformFilter };
