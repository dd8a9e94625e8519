import { UserFacingError } from '../errors.js';

/** A reference that breaks the distribution reference grammar: the CLI exits 2 with `problem`. */
class InvalidImageReferenceError extends UserFacingError {
  public readonly input: string;
  public readonly problem: string;

  public constructor(input: string, problem: string) {
    super('InvalidImageReference', `"${input}" is not a valid image reference: ${problem}`);
    this.name = 'InvalidImageReferenceError';
    this.input = input;
    this.problem = problem;
  }
}

export { InvalidImageReferenceError };
