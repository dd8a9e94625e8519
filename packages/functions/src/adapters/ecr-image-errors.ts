/*
 * The errors of ./ecr-images.ts (which re-exports them), apart because they need no AWS SDK: the automations,
 * loaded on a worker's first batch, import them, and a lazily loaded module that imports an SDK package makes the
 * worker's bundle evaluate that whole package at load (docs/sync.md, "Measured").
 */

class ImageGoneError extends Error {
  public constructor(repository: string, digest: string) {
    super(`image ${repository}@${digest} no longer exists`);
    this.name = 'ImageGoneError';
  }
}

class EcrImageError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EcrImageError';
  }
}

export { EcrImageError, ImageGoneError };
