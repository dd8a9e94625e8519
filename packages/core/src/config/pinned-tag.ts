/*
 * An allow-listed tag may be pinned to a digest: "v1.11.1@sha256:<64 hex>". The image is warmed by tag,
 * because ECR's pull-through cache does not fill on a first pull by digest (aws/containers-roadmap#2837);
 * the digest the tag resolves to is then checked against the pin.
 */

interface PinnedTag {
  tag: string;
  /** `sha256:<64 hex>` when the tag is pinned. */
  digest?: string;
}

const PINNED = /^([^@]+)@(sha256:[a-f0-9]{64})$/;

/** Splits "v1.11.1@sha256:..." into tag and digest; a plain tag comes back as is. The schema checks the format. */
const parsePinnedTag = (value: string): PinnedTag => {
  const match = PINNED.exec(value);
  return match?.[1] !== undefined && match[2] !== undefined ? { tag: match[1], digest: match[2] } : { tag: value };
};

export { parsePinnedTag };
export type { PinnedTag };
