import { type Location, useLocation } from 'react-router';

export const HOME_PATH = '/conversations';

/** What the guards put in the router state when they send someone away from the page they asked for. */
export interface ReturnState {
  from?: string;
}

export function returnStateFor(location: Location): ReturnState {
  return { from: `${location.pathname}${location.search}${location.hash}` };
}

/** Where to go once signed in (and past the Terms): the page first asked for, if it was a page of the app. */
export function useReturnPath(): string {
  const from = (useLocation().state as ReturnState | null)?.from;
  if (typeof from !== 'string' || !from.startsWith('/') || from.startsWith('//')) return HOME_PATH;
  if (from.startsWith('/sign-in') || from.startsWith('/terms')) return HOME_PATH;
  return from;
}
