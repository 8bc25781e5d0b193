// The admin token that lets this page add and remove documents. It arrives once in the address
// (#admin=…, the link npm start prints), is kept in sessionStorage (this tab only, gone when it
// closes) and taken out of the address bar at once, so it is not bookmarked, shared or kept in
// the history. The page shows the write controls only while it holds one.

const STORAGE_KEY = "ask-sources:admin-token";

/** Takes a token from the address (removing it) or sessionStorage; null when there is none. */
export function takeAdminToken() {
  let fromAddress = null;
  if (window.location.hash.startsWith("#admin=")) {
    fromAddress = decodeURIComponent(window.location.hash.slice("#admin=".length)) || null;
    history.replaceState(null, "", window.location.pathname + window.location.search);
    if (fromAddress) store(fromAddress);
  }
  try {
    return fromAddress ?? sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return fromAddress;
  }
}

/** After the server refused the token (a restart made a new one). */
export function forgetAdminToken() {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage unavailable: nothing was kept.
  }
}

function store(token) {
  try {
    sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Storage unavailable (private mode): the token lasts as long as the page.
  }
}
