/** The JSON shapes of the server's API (apps/server), as the UI reads them. */

export interface User {
  id: number;
  email: string;
  /** When the user accepted the Terms of Service (ISO 8601), or null before they have. */
  acceptedTosAt: string | null;
  isAdmin: boolean;
}

export interface Conversation {
  id: string;
  title: string;
  llmModel: string | null;
  gitProvider: string | null;
  trigger: string | null;
  createdAt: string;
  lastUpdatedAt: string;
}

export interface ConversationPage {
  conversations: Conversation[];
  nextCursor: string | null;
}

export interface LicenseStatus {
  warn: boolean;
  message: string;
}
