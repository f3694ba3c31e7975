import type { Conversation, User } from '../../src/api/types';

export function aUser(overrides: Partial<User> = {}): User {
  return { id: 7, email: 'ada@example.com', acceptedTosAt: '2026-01-05T09:00:00.000Z', isAdmin: false, ...overrides };
}

export const newUser = (overrides: Partial<User> = {}) => aUser({ acceptedTosAt: null, ...overrides });
export const anAdmin = (overrides: Partial<User> = {}) => aUser({ isAdmin: true, ...overrides });

export function aConversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c-1',
    title: 'Fix the flaky login test',
    llmModel: 'anthropic/claude-sonnet-4-5',
    gitProvider: null,
    trigger: null,
    createdAt: '2026-01-05T10:00:00.000Z',
    lastUpdatedAt: '2026-01-05T10:00:00.000Z',
    ...overrides,
  };
}
