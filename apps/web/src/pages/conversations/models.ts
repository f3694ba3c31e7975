/** The models offered when starting a conversation; the first is the default. */
export const MODEL_OPTIONS = [
  { value: 'anthropic/claude-sonnet-4-5', label: 'Claude Sonnet 4.5' },
  { value: 'openai/gpt-5', label: 'GPT-5' },
  { value: 'gemini/gemini-2.5-pro', label: 'Gemini 2.5 Pro' },
  { value: 'mistral/devstral-medium', label: 'Devstral Medium' },
] as const;

export const DEFAULT_MODEL = MODEL_OPTIONS[0].value;

/** A model's name for people; conversations started elsewhere may use models not offered here. */
export function modelLabel(llmModel: string | null): string {
  if (!llmModel) return 'Default model';
  return MODEL_OPTIONS.find((option) => option.value === llmModel)?.label ?? llmModel;
}
