/** Retry settings in one place (kafkajs style): the client's, and a consumer's before it restarts. */
export const kafkaRetry = {
  client: { initialRetryTime: 300, retries: 8, maxRetryTime: 30_000 },
  consumer: { initialRetryTime: 300, retries: 5, maxRetryTime: 30_000 },
  producer: { initialRetryTime: 300, retries: 8, maxRetryTime: 30_000 },
} as const;
