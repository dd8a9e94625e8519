/** An AWS SDK v3 error as the local stack's tests read it. */
type AwsSdkError = Error & { Code?: string; $metadata: { httpStatusCode?: number; attempts?: number } };

/** The error a call that must fail rejects with; throws when it succeeds instead. For the local services' tests. */
async function errorOf(promise: Promise<unknown>): Promise<AwsSdkError> {
  try {
    await promise;
  } catch (error) {
    return error as AwsSdkError;
  }
  throw new Error('expected the call to fail');
}

export { errorOf };
export type { AwsSdkError };
