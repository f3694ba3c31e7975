import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../src/api/types';
import { type FakeRequest, fakeApi, json } from './support/fake-api';
import { findHeading, renderApp } from './support/render';
import { aConversation, aUser, newUser } from './support/users';

const signedIn = { 'GET /api/me': json(200, { user: aUser() }) };

function listItems() {
  return within(screen.getByRole('list', { name: 'Your conversations' })).getAllByRole('listitem');
}

describe('conversations page', () => {
  it('lists the conversations newest first with title, model and creation time', async () => {
    fakeApi({
      ...signedIn,
      'GET /api/conversations': json(200, {
        conversations: [
          aConversation({ id: 'a', title: 'Older', llmModel: 'openai/gpt-5', createdAt: '2026-01-02T08:00:00Z' }),
          aConversation({ id: 'b', title: 'Newest', llmModel: null, createdAt: '2026-01-04T08:00:00Z' }),
          aConversation({ id: 'c', title: 'Middle', llmModel: 'acme/custom-model', createdAt: '2026-01-03T08:00:00Z' }),
        ],
        nextCursor: null,
      }),
    });
    renderApp('/conversations');
    await screen.findByText('Newest');

    const items = listItems();
    expect(items.map((item) => item.querySelector('.conversation__title')?.textContent)).toEqual([
      'Newest',
      'Middle',
      'Older',
    ]);
    expect(items[0]).toHaveTextContent('Default model');
    expect(items[1]).toHaveTextContent('acme/custom-model');
    expect(items[2]).toHaveTextContent('GPT-5');
    expect(items[0]?.querySelector('time')).toHaveAttribute('dateTime', '2026-01-04T08:00:00Z');
  });

  it('asks for 20 at a time and fetches older ones with the cursor', async () => {
    const api = fakeApi({
      ...signedIn,
      'GET /api/conversations': ({ query }) =>
        query.get('cursor') === 'page-2'
          ? json(200, {
              conversations: [aConversation({ id: 'old', title: 'From last year', createdAt: '2025-06-01T08:00:00Z' })],
              nextCursor: null,
            })
          : json(200, { conversations: [aConversation()], nextCursor: 'page-2' }),
    });
    const { user } = renderApp('/conversations');
    await user.click(await screen.findByRole('button', { name: 'Show older conversations' }));

    expect(await screen.findByText('From last year')).toBeInTheDocument();
    expect(listItems()).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Show older conversations' })).not.toBeInTheDocument();
    const queries = api.requestsTo('GET', '/api/conversations').map((request) => request.query.toString());
    expect(queries).toEqual(['limit=20', 'limit=20&cursor=page-2']);
  });

  it('shows an empty state when there are none', async () => {
    fakeApi({ ...signedIn, 'GET /api/conversations': json(200, { conversations: [], nextCursor: null }) });
    renderApp('/conversations');

    expect(await screen.findByText('No conversations yet')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Your conversations' })).not.toBeInTheDocument();
  });

  it('starts a conversation and shows it at the top of the list', async () => {
    const stored: Conversation[] = [aConversation({ id: 'old', title: 'Earlier work' })];
    const api = fakeApi({
      ...signedIn,
      'GET /api/conversations': () => json(200, { conversations: stored, nextCursor: null }),
      'POST /api/conversations': ({ body }: FakeRequest) => {
        const { title, llmModel } = body as { title: string; llmModel?: string };
        const conversation = aConversation({
          id: 'new',
          title,
          llmModel: llmModel ?? null,
          createdAt: '2026-02-01T12:00:00Z',
        });
        stored.unshift(conversation);
        return json(201, { conversation });
      },
    });
    const { user } = renderApp('/conversations');
    await screen.findByText('Earlier work');

    const title = screen.getByRole('textbox', { name: 'Title' });
    await user.type(title, 'Upgrade to Node 22');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Model' }), 'Gemini 2.5 Pro');
    await user.click(screen.getByRole('button', { name: 'Start conversation' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Started “Upgrade to Node 22”.');
    expect(api.requestsTo('POST', '/api/conversations').map((request) => request.body)).toEqual([
      { title: 'Upgrade to Node 22', llmModel: 'gemini/gemini-2.5-pro' },
    ]);
    const [first] = listItems();
    expect(first).toHaveTextContent('Upgrade to Node 22');
    expect(first).toHaveTextContent('Gemini 2.5 Pro');
    expect(title).toHaveValue('');
  });

  it('asks for a title before sending, and ties server errors to the field', async () => {
    const api = fakeApi({
      ...signedIn,
      'GET /api/conversations': json(200, { conversations: [], nextCursor: null }),
      'POST /api/conversations': json(400, {
        error: 'invalid_title',
        message: 'The title contains a character we cannot store.',
      }),
    });
    const { user } = renderApp('/conversations');
    await screen.findByText('No conversations yet');
    const title = screen.getByRole('textbox', { name: 'Title' });

    await user.type(title, '   ');
    await user.click(screen.getByRole('button', { name: 'Start conversation' }));
    expect(title).toBeInvalid();
    expect(title).toHaveAccessibleDescription('Give the conversation a title.');
    expect(api.requestsTo('POST', '/api/conversations')).toHaveLength(0);

    await user.type(title, 'Weird title');
    await user.click(screen.getByRole('button', { name: 'Start conversation' }));
    expect(await screen.findByText('The title contains a character we cannot store.')).toBeInTheDocument();
    expect(title).toHaveAccessibleDescription('The title contains a character we cannot store.');
    expect(title).toHaveValue('   Weird title');
  });

  it('sends someone whose Terms the server wants accepted to the Terms page', async () => {
    let user = aUser();
    fakeApi({
      'GET /api/me': () => json(200, { user }),
      'GET /api/conversations': () => {
        // The Terms changed on the server since this page loaded.
        user = newUser();
        return json(403, { error: 'tos_required', message: 'Accept the Terms of Service first.' });
      },
    });
    const { currentPath } = renderApp('/conversations');

    expect(await findHeading('Terms of Service')).toBeInTheDocument();
    expect(currentPath()).toBe('/terms');
  });

  it('explains a list that could not be loaded and offers to try again', async () => {
    let attempts = 0;
    fakeApi({
      ...signedIn,
      'GET /api/conversations': () => {
        attempts += 1;
        return attempts === 1
          ? json(400, { error: 'bad_cursor', message: 'That page of the list no longer exists.' })
          : json(200, { conversations: [aConversation()], nextCursor: null });
      },
    });
    const { user } = renderApp('/conversations');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('That page of the list no longer exists.');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Fix the flaky login test')).toBeInTheDocument();
  });
});
