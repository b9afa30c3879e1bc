/** Client secrets for a chat that runs in a hosted runtime (OpenAI ChatKit). */
export interface HostedChatSessions {
  /** Creates a session for `userId` lasting `ttlSeconds`: the secret the browser's component uses, and when it expires (epoch seconds). */
  create(userId: string, ttlSeconds: number): Promise<{ clientSecret: string; expiresAt: number }>;
}
