/**
 * Plays the browser's part at the local OpenID provider over real HTTP: follows its redirects,
 * keeps its cookies, submits its login form, and stops at the redirect back to our server.
 */
export async function loginAtProvider(authorizationUrl: string, login: string, returnOrigin: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(authorizationUrl);
  let method: 'GET' | 'POST' = 'GET';
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 10; step++) {
    if (url.origin === returnOrigin) return url;
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      ...(body ? { body } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    method = 'GET';
    body = undefined;
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action || !html.includes('name="login"')) {
      throw new Error(`The provider answered ${response.status} without a login form at ${url}: ${html.slice(0, 500)}`);
    }
    url = new URL(action.replaceAll('&amp;', '&'), url);
    method = 'POST';
    body = new URLSearchParams({ prompt: 'login', login, password: 'any password' });
  }
  throw new Error(`The provider did not send the browser back to ${returnOrigin} within 10 steps.`);
}
