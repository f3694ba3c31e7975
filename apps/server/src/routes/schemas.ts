import Type, { type Static } from 'typebox';

/**
 * The request shapes of the host's routes, declared once: Fastify validates with them (unknown
 * fields are a 400, see app.ts) and the handlers take their types from them.
 */
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const DevSignInBody = Type.Object({ email: Type.String({ maxLength: 400 }) }, { additionalProperties: false });

export const KeycloakLoginQuery = Type.Object(
  { returnTo: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

/** What an OpenID provider sends back; Keycloak adds session_state and iss, others may add more. */
export const KeycloakCallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 4096 })),
  state: Type.Optional(Type.String({ maxLength: 512 })),
  iss: Type.Optional(Type.String({ maxLength: 2048 })),
  session_state: Type.Optional(Type.String({ maxLength: 512 })),
  error: Type.Optional(Type.String({ maxLength: 256 })),
  error_description: Type.Optional(Type.String({ maxLength: 1024 })),
  error_uri: Type.Optional(Type.String({ maxLength: 2048 })),
});

/** GET /api/auth/options: how this server signs people in (the sign-in page reads it). */
export const SignInOptions = Type.Object({
  keycloak: Nullable(Type.Object({ issuer: Type.String(), ready: Type.Boolean(), problem: Nullable(Type.String()) })),
  devSignIn: Type.Union([Type.Literal('open'), Type.Literal('flagged'), Type.Literal('off')]),
});
export type SignInOptions = Static<typeof SignInOptions>;

export const ConversationListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const NewConversationBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    llmModel: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
