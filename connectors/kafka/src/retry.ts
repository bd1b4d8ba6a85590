/** Retry settings in one place (kafkajs style): the client's, and a consumer's before it restarts. */
export const kafkaRetry = {
  client: { initialRetryTime: 300, retries: 8, maxRetryTime: 30_000 },
  consumer: { initialRetryTime: 300, retries: 5, maxRetryTime: 30_000 },
  // Idempotent producers retry without limit (kafkajs warns otherwise): a send waits out a broker outage rather
  // than failing a message that the caller would only retry anyway.
  producer: { initialRetryTime: 300, retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 30_000 },
} as const;
