import type { Locator, Page } from 'playwright-core';

// Questions answered inside the page. The functions below are serialised and run in the browser;
// the few browser names they use are declared here, for this file only, so that they type-check
// whether or not the tests' tsconfig includes the DOM library.
interface PageElement {
  getBoundingClientRect(): { top: number; width: number; right: number };
  querySelectorAll(selector: string): Iterable<PageElement>;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
  tagName: string;
}
declare const document: {
  documentElement: { scrollWidth: number };
  querySelectorAll(selector: string): Iterable<PageElement>;
};
declare const window: { innerWidth: number };
declare const localStorage: { length: number };
declare const sessionStorage: { length: number };
declare function getComputedStyle(element: PageElement): { backgroundColor: string; color: string };

/** How many pixels the page is wider than the window (more than 0 means a sideways scroll bar). */
export function horizontalOverflowPx(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * The elements that reach past the right edge of the window, as `tag.class`, outermost first: what
 * to fix when a page scrolls sideways. Content hidden on purpose (`.visually-hidden`) does not count.
 */
export function elementsPastRightEdge(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
      .filter((element) => !element.closest('.visually-hidden'))
      .map((element) => `${element.tagName.toLowerCase()}.${element.getAttribute('class') ?? ''}`)
      .slice(0, 10),
  );
}

/** How many entries local and session storage hold together. */
export function storedEntries(page: Page): Promise<number> {
  return page.evaluate(() => localStorage.length + sessionStorage.length);
}

/** The colours and position an element is drawn with. */
export function lookOf(locator: Locator) {
  return locator.evaluate((node) => {
    const element = node as unknown as PageElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return { background: style.backgroundColor, color: style.color, top: box.top, width: box.width };
  });
}

/** The aria-hidden attribute of every SVG icon inside. */
export function iconsAriaHidden(locator: Locator): Promise<(string | null)[]> {
  return locator.evaluate((node) =>
    [...(node as unknown as PageElement).querySelectorAll('svg')].map((icon) => icon.getAttribute('aria-hidden')),
  );
}
