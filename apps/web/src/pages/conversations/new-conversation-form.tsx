import { type FormEvent, useId, useRef, useState } from 'react';
import { useCreateConversation } from '../../api/conversations';
import { ApiError, messageOf } from '../../api/errors';
import { TextField } from '../../components/text-field';
import { DEFAULT_MODEL, MODEL_OPTIONS } from './models';

export const TITLE_MAX_LENGTH = 200;

function validateTitle(title: string): string | null {
  if (!title) return 'Give the conversation a title.';
  if (title.length > TITLE_MAX_LENGTH) return `Keep the title to ${TITLE_MAX_LENGTH} characters or fewer.`;
  return null;
}

export function NewConversationForm() {
  const create = useCreateConversation();
  const [title, setTitle] = useState('');
  const [llmModel, setLlmModel] = useState<string>(DEFAULT_MODEL);
  const [titleError, setTitleError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const titleInput = useRef<HTMLInputElement>(null);
  const modelId = useId();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = title.trim();
    const problem = validateTitle(trimmed);
    setTitleError(problem);
    setFormError(null);
    setCreated(null);
    if (problem) {
      titleInput.current?.focus();
      return;
    }
    create.mutate(
      { title: trimmed, llmModel },
      {
        onSuccess: ({ conversation }) => {
          setTitle('');
          setCreated(conversation.title);
        },
        onError: (error) => {
          // The server's 400 is about what was typed; anything else is not the field's fault.
          if (error instanceof ApiError && error.status === 400) {
            setTitleError(error.message);
            titleInput.current?.focus();
          } else {
            setFormError(messageOf(error));
          }
        },
      },
    );
  }

  return (
    <section className="card" aria-labelledby="new-conversation-title">
      <h2 id="new-conversation-title" className="card__title">
        Start a conversation
      </h2>
      <form className="new-conversation" noValidate onSubmit={onSubmit}>
        <TextField
          ref={titleInput}
          className="new-conversation__title"
          label="Title"
          name="title"
          placeholder="e.g. Fix the flaky login test"
          maxLength={TITLE_MAX_LENGTH}
          required
          autoComplete="off"
          value={title}
          error={titleError}
          onChange={(event) => setTitle(event.target.value)}
        />
        <div className="field new-conversation__model">
          <label className="field__label" htmlFor={modelId}>
            Model
          </label>
          <select
            id={modelId}
            name="llmModel"
            className="input select"
            value={llmModel}
            onChange={(event) => setLlmModel(event.target.value)}
          >
            {MODEL_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--primary new-conversation__submit" disabled={create.isPending}>
          {create.isPending ? 'Starting…' : 'Start conversation'}
        </button>
      </form>
      {formError ? (
        <p className="form-error" role="alert">
          {formError}
        </p>
      ) : null}
      <p className="form-success" role="status">
        {created ? `Started “${created}”.` : ''}
      </p>
    </section>
  );
}
