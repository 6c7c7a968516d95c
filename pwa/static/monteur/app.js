// The technician app: boot, screens by URL hash, actions into the queue, sync triggers.
import { call, login, takeOverSession } from "/static/monteur/api.js";
import { addNotice, clearAll, db, getMeta, setMeta } from "/static/monteur/db.js";
import { enqueue, everything, nextPhotoId, pendingCount, withPending } from "/static/monteur/outbox.js";
import { scaleDown } from "/static/monteur/photos.js";
import { disablePush, enablePush, pushState } from "/static/monteur/push.js";
import { OFFLINE, describe, requestBackgroundSync, setLoggedIn, state, syncNow } from "/static/monteur/sync.js";
import { closingView, payload as closePayload, startClosing, tooEarly } from "/static/monteur/closing.js";
import { detailView, h, listView, loginView, logoutView } from "/static/monteur/views.js";

const app = document.getElementById("app");
const stateLine = document.getElementById("sync-state");
const retry = document.getElementById("sync-retry");
const noticeBox = document.getElementById("notices");
const deviceBar = document.getElementById("device");
const pushToggle = document.getElementById("push-toggle");
const logoutButton = document.getElementById("logout");
const urls = new Map(); // photo client id or key -> object URL, made once per session
const closings = new Map(); // order number -> the closing screens' state (closing.js)
const asking = new Set(); // jobs whose "toch afsluiten?" question is on screen
const locating = new Set(); // jobs whose "Onderweg" waits for the phone's position
let debounce = null;
let leaving = false; // the logout warning is on screen: background syncs must not replace it
let renders = 0; // renders started; only the newest one writes the screen

// Renders overlap (a sync's jobs-changed, a tap, a hash change): each reads IndexedDB first,
// so one started before a change (a logout's wipe, a pull) must not draw over a newer one.
async function render() {
  if (leaving) return;
  const mine = ++renders;
  const token = await getMeta("token");
  if (mine !== renders || leaving) return;
  deviceBar.hidden = !token || state.login;
  if (!token || state.login) {
    app.replaceChildren(loginView(onLogin, state.login ? state.problem : null));
    return;
  }
  await showPushToggle();
  const jobs = await (await db).getAll("jobs");
  const ops = await everything();
  if (mine !== renders || leaving) return;
  const views = jobs.map((job) => withPending(job, ops));
  const match = location.hash.match(/^#\/opdracht\/([^/]+)(\/afsluiten)?$/);
  const job = match && views.find((j) => j.order_number === decodeURIComponent(match[1]));
  if (job && match[2]) {
    showClosing(job);
  } else if (job) {
    const typed = captureFields();
    app.replaceChildren(detailView(job, {
      act: (kind, data) => act(kind, job.order_number, data),
      addPhotos: (files) => addPhotos(job.order_number, files),
      photoUrl,
      sendChat: (text) => act("chat", job.order_number, { text }),
      setOff: () => setOff(job.order_number),
      locating: locating.has(job.order_number),
      closing: {
        early: tooEarly(job),
        asking: asking.has(job.order_number),
        ask: () => {
          asking.add(job.order_number);
          render();
        },
        unask: () => {
          asking.delete(job.order_number);
          render();
        },
        startClosing: () => {
          asking.delete(job.order_number);
          location.hash = `#/opdracht/${job.order_number}/afsluiten`;
        },
      },
    }));
    if (typed.job === job.order_number) restoreFields(typed);
  } else {
    app.replaceChildren(h("h1", {}, "Mijn opdrachten"), listView(views));
  }
  await showNotices();
}

// The closing screens (closing.js). Built again only when the step changes: a sync in the
// background leaves what he is typing or drawing alone.
function showClosing(job) {
  const number = job.order_number;
  if (job.phase !== "in_uitvoering") {
    closings.delete(number);
    location.hash = `#/opdracht/${number}`;
    return;
  }
  if (!closings.has(number)) closings.set(number, startClosing(job));
  const state = closings.get(number);
  const shown = app.querySelector("section.closing");
  if (shown?.dataset.job === number && shown.dataset.step === state.step && !state.rebuild) return;
  state.rebuild = false;
  const leave = () => {
    closings.delete(number);
    location.hash = `#/opdracht/${number}`;
  };
  app.replaceChildren(closingView(job, state, {
    go: (step) => {
      state.step = step;
      state.error = "";
      showClosing(job);
      window.scrollTo(0, 0);
    },
    redraw: () => {
      state.rebuild = true;
      showClosing(job);
    },
    confirm: async () => {
      const data = closePayload(state);
      leave();
      await act("complete", number, data);
    },
    cancel: leave,
  }));
}

// "Onderweg": with where the phone is, when it can say so within a few seconds, so the server
// can work out when he will be there (nothing is kept of it but the arrival time).
async function setOff(number) {
  if (locating.has(number)) return; // one tap, one "Onderweg"
  locating.add(number);
  await render();
  try {
    const position = await currentPosition();
    await act("start_travel", number, position ? { position } : {});
  } finally {
    locating.delete(number);
  }
}

async function currentPosition() {
  if (!navigator.geolocation) return null;
  try {
    if ((await navigator.permissions?.query({ name: "geolocation" }))?.state === "denied") return null;
  } catch {
    // No Permissions API: just ask.
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 4000);
    navigator.geolocation.getCurrentPosition(
      (found) => {
        clearTimeout(timer);
        const { latitude, longitude, accuracy } = found.coords;
        resolve({ latitude, longitude, accuracy_m: accuracy });
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
      { enableHighAccuracy: false, timeout: 4000, maximumAge: 300000 },
    );
  });
}

// A sync in the background re-renders the screen; what he was typing must survive that.
function captureFields() {
  const fields = [...app.querySelectorAll("input:not([type=file]), textarea, select")];
  return {
    job: app.querySelector("article.detail")?.dataset.job,
    materials: app.querySelectorAll(".material").length,
    values: fields.map((f) => (f.type === "radio" || f.type === "checkbox" ? f.checked : f.value)),
  };
}

function restoreFields(typed) {
  const add = app.querySelector("form.repair button.secondary");
  for (let n = app.querySelectorAll(".material").length; n < typed.materials; n += 1) add?.click();
  const fields = [...app.querySelectorAll("input:not([type=file]), textarea, select")];
  if (fields.length !== typed.values.length) return;
  fields.forEach((f, i) => {
    if (f.type === "radio" || f.type === "checkbox") f.checked = typed.values[i];
    else f.value = typed.values[i];
  });
}

async function onLogin(form, errorLine) {
  try {
    await adopt(await login(form.get("username"), form.get("password")));
    await render();
    await syncNow();
  } catch (error) {
    errorLine.textContent = error.message;
    errorLine.hidden = false;
  }
}

// A new device session, from the login form or the website's session: his from now on.
async function adopt(data) {
  const before = await getMeta("username");
  if (before && before !== data.username) {
    // Work waiting on this phone is someone else's: it must never go out under this login.
    if ((await pendingCount()) > 0) {
      await fetch("/api/v1/auth/logout", { method: "POST", headers: { authorization: `Bearer ${data.token}` } }).catch(() => null);
      throw new Error(`Op deze telefoon wachten nog wijzigingen van ${before}. Log in als ${before} om ze te versturen.`);
    }
    await forget();
  }
  await setLoggedIn(data.token, data.username);
}

// Without a (working) token, first take over the website's session, if there is one; only
// when that fails does the login form ask. Tried once per page load, not on every sync.
let triedSession = false;

async function fromSession() {
  if (triedSession) return false;
  triedSession = true;
  const data = await takeOverSession();
  if (!data) return false;
  try {
    await adopt(data);
    return true;
  } catch (error) {
    state.login = true;
    state.problem = error.message;
    return false;
  }
}

// Afmelden: with unsent work, warn and offer to send it first.
async function onLogout() {
  const waiting = await pendingCount();
  if (waiting === 0) return logOut();
  leaving = true;
  app.replaceChildren(logoutView(waiting, {
    sendFirst: async (line) => {
      line.textContent = "Bezig met versturen…";
      await syncNow();
      const left = await pendingCount();
      if (left === 0) return logOut();
      line.textContent = `Versturen lukte niet${state.problem ? ` (${state.problem})` : ""}; ${left === 1 ? "1 wijziging wacht" : `${left} wijzigingen wachten`} nog. Probeer het opnieuw als u verbinding hebt.`;
    },
    discard: () => logOut(),
    back: () => {
      leaving = false;
      return render();
    },
  }));
}

// Off on the server (push subscription, then the device session), then nothing of him here.
async function logOut() {
  try {
    await disablePush();
  } catch {
    // Offline: the subscription goes when the push service reports it gone, or with the token.
  }
  try {
    await call("/api/v1/auth/logout", { method: "POST" });
  } catch {
    // Offline or already expired: the token is forgotten here and runs out on the server.
  }
  await forget();
  state.login = false;
  state.problem = null;
  leaving = false;
  await render();
  await showState();
}

// IndexedDB holds all of the user's data (the caches hold only the app shell, and photos from
// the server are fetched past the HTTP cache); object URLs made for photos go too.
async function forget() {
  await clearAll();
  for (const url of urls.values()) URL.revokeObjectURL(url);
  urls.clear();
}

async function showPushToggle() {
  const now = await pushState();
  pushToggle.hidden = now === "unsupported";
  pushToggle.textContent = now === "on" ? "Meldingen uit" : "Meldingen aan";
  pushToggle.title = now === "denied" ? "Meldingen zijn geblokkeerd in de browser" : "";
}

async function onPushToggle() {
  pushToggle.disabled = true;
  try {
    if ((await pushState()) === "on") await disablePush();
    else await enablePush();
  } catch (error) {
    await addNotice(error.message);
  } finally {
    pushToggle.disabled = false;
    await showPushToggle();
    await showNotices();
  }
}

async function act(kind, job, payload) {
  await enqueue(kind, job, payload);
}

async function addPhotos(job, files) {
  for (const file of files) {
    try {
      const blob = await scaleDown(file);
      const clientId = await nextPhotoId();
      const photo = { client_id: clientId, job, blob, taken_at: new Date().toISOString(), uploaded: false };
      await enqueue("attach_photo", job, { client_id: clientId, caption: "" }, photo);
    } catch (error) {
      alert(`Foto kon niet worden toegevoegd: ${error.message}`);
    }
  }
}

// A photo taken here comes from IndexedDB (works offline); one from the server is fetched with
// the token, since an <img> cannot send it.
async function photoUrl(photo) {
  const id = photo.client_id || photo.key;
  if (urls.has(id)) return urls.get(id);
  const stored = photo.client_id ? await (await db).get("blobs", photo.client_id) : null;
  let blob = stored?.blob;
  if (!blob && photo.key && navigator.onLine) {
    try {
      // Past the HTTP cache: nothing of the user may stay behind in it after logging out.
      const response = await call(`/api/v1/photos/${photo.key}/thumb`, { cache: "no-store" });
      if (response.ok) blob = await response.blob();
    } catch {
      return null;
    }
  }
  if (!blob) return null;
  const url = URL.createObjectURL(blob);
  urls.set(id, url);
  return url;
}

async function showNotices() {
  const notices = await getMeta("notices", []);
  noticeBox.replaceChildren(...notices.map((n, i) =>
    h("p", { class: "notice", role: "alert" }, n.text, " ",
      h("button", { type: "button", class: "link", onclick: async () => {
        const all = await getMeta("notices", []);
        all.splice(i, 1);
        await setMeta("notices", all);
        await showNotices();
      } }, "Gelezen"))));
}

// "Opnieuw proberen" only when there is something to retry: work waiting, or a failed sync.
// The problem is named unless the line says it already ("… wachten op verbinding").
async function showState() {
  const waiting = await pendingCount();
  const said = state.login || (waiting > 0 && state.problem === OFFLINE);
  stateLine.textContent = state.problem && !said ? `${await describe()} (${state.problem})` : await describe();
  stateLine.title = stateLine.textContent; // the whole line, where a narrow bar cuts it off
  retry.hidden = (waiting === 0 && !state.problem) || state.login || !(await getMeta("token"));
}

function soon() {
  clearTimeout(debounce);
  debounce = setTimeout(() => syncNow(), 500);
}

window.addEventListener("outbox-changed", async () => {
  await render();
  await showState();
  await requestBackgroundSync();
  soon();
});
window.addEventListener("jobs-changed", render);
window.addEventListener("sync-state", async () => {
  // The device session ran out: a website session he has since logged in with takes over.
  if (state.login && (await fromSession())) {
    await render();
    await syncNow();
    return;
  }
  await showState();
  await showNotices(); // a push answer may have brought one, also when the pull failed
  // Back to the login form when the session ran out; never re-render one he is typing in.
  if (state.login && !app.querySelector("form.login")) await render();
});
window.addEventListener("hashchange", render);
window.addEventListener("online", () => syncNow());
document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") syncNow(); });
retry.addEventListener("click", () => syncNow());
logoutButton.addEventListener("click", onLogout);
pushToggle.addEventListener("click", onPushToggle);
setInterval(() => syncNow(), 30000);

async function start() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/monteur/sw.js", { scope: "/monteur/" });
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data?.type === "sync") syncNow();
      // A tapped notification: open the job it is about.
      if (event.data?.type === "open" && event.data.hash?.startsWith("#/")) location.hash = event.data.hash;
    });
  }
  navigator.storage?.persist?.();
  if (!(await getMeta("token"))) await fromSession();
  await render();
  await showState();
  await syncNow();
}

start();
