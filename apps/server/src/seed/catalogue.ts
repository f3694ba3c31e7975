/**
 * What the demo data is made of: the mix of models, git providers and triggers of a plausible
 * enterprise installation. Weights are relative; prices are USD per million tokens (in, out).
 */
export interface Weighted<T> {
  value: T;
  weight: number;
}

export interface Model {
  name: string;
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
}

export const MODELS: Weighted<Model>[] = [
  {
    value: { name: 'anthropic/claude-sonnet-4-5-20250929', inputUsdPerMillion: 3, outputUsdPerMillion: 15 },
    weight: 38,
  },
  { value: { name: 'openai/gpt-5-2025-08-07', inputUsdPerMillion: 1.25, outputUsdPerMillion: 10 }, weight: 20 },
  {
    value: { name: 'anthropic/claude-opus-4-1-20250805', inputUsdPerMillion: 15, outputUsdPerMillion: 75 },
    weight: 12,
  },
  { value: { name: 'gemini/gemini-2.5-pro', inputUsdPerMillion: 1.25, outputUsdPerMillion: 10 }, weight: 10 },
  {
    value: { name: 'litellm_proxy/claude-sonnet-4-20250514', inputUsdPerMillion: 3, outputUsdPerMillion: 15 },
    weight: 8,
  },
  { value: { name: 'openai/o3', inputUsdPerMillion: 2, outputUsdPerMillion: 8 }, weight: 5 },
  { value: { name: 'deepseek/deepseek-chat', inputUsdPerMillion: 0.27, outputUsdPerMillion: 1.1 }, weight: 4 },
  { value: { name: 'mistral/devstral-medium-2507', inputUsdPerMillion: 0.4, outputUsdPerMillion: 2 }, weight: 3 },
];

/** `null`: a conversation started without a repository. */
export const GIT_PROVIDERS: Weighted<string | null>[] = [
  { value: 'github', weight: 55 },
  { value: 'gitlab', weight: 20 },
  { value: 'bitbucket', weight: 8 },
  { value: 'azure_devops', weight: 5 },
  { value: null, weight: 12 },
];

export const TRIGGERS: Weighted<string>[] = [
  { value: 'gui', weight: 62 },
  { value: 'resolver', weight: 12 },
  { value: 'slack', weight: 8 },
  { value: 'jira', weight: 5 },
  { value: 'linear', weight: 4 },
  { value: 'openhands_api', weight: 5 },
  { value: 'suggested_task', weight: 4 },
];

export const TITLES = [
  'Fix the failing CI build',
  'Add pagination to the users API',
  'Upgrade the dependencies',
  'Write tests for the config parser',
  'Refactor the billing module',
  'Investigate a flaky integration test',
  'Document the deployment steps',
  'Resolve the reported login issue',
];
