// The company portal: a thin client of the bootstrap's REST API. Credentials stay in this page's
// memory only and go out as HTTP Basic on each request; nothing is stored in the browser.
"use strict";

const portal = { auth: null, me: null };

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

async function api(method, path, body) {
  const headers = { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" };
  if (portal.auth) headers["Authorization"] = portal.auth;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error((data && data.detail) || response.statusText);
    error.status = response.status;
    throw error;
  }
  return data;
}

function say(id, text, isError) {
  const node = document.getElementById(id);
  node.textContent = text;
  node.classList.toggle("error", Boolean(isError));
}

async function register(event) {
  event.preventDefault();
  const value = id => document.getElementById(id).value.trim();
  try {
    const company = await api("POST", "/api/companies", {
      name: value("reg-name"), displayName: value("reg-display-name"), contactEmail: value("reg-email"),
      admin: { username: value("reg-admin"), password: document.getElementById("reg-password").value }
    });
    say("register-message", `Company ${company.name} registered: ${company.state}. `
        + "The provider approves new companies; you can sign in meanwhile to follow its state.");
    event.target.reset();
  } catch (e) {
    say("register-message", `Registration refused: ${e.message}`, true);
  }
}

async function login(event) {
  event.preventDefault();
  const username = document.getElementById("login-username").value.trim();
  const password = document.getElementById("login-password").value;
  portal.auth = "Basic " + btoa(unescape(encodeURIComponent(username + ":" + password)));
  try {
    portal.me = await api("GET", "/api/me");
    document.getElementById("signed-out").hidden = true;
    document.getElementById("dashboard").hidden = false;
    document.getElementById("whoami").textContent =
        `Signed in as ${portal.me.username}` + (portal.me.company ? ` (company ${portal.me.company})` : " (provider)");
    await refresh();
  } catch (e) {
    portal.auth = null;
    say("login-message", `Sign-in failed: ${e.message}`, true);
  }
}

function logout() {
  portal.auth = null;
  portal.me = null;
  document.getElementById("dashboard").hidden = true;
  document.getElementById("signed-out").hidden = false;
  document.getElementById("login-form").reset();
  say("login-message", "Signed out.");
}

async function allPages(path) {
  const items = [];
  for (let page = 0; ; page++) {
    const result = await api("GET", `${path}${path.includes("?") ? "&" : "?"}page=${page}&size=100`);
    items.push(...result.items);
    if (items.length >= result.total || result.items.length === 0) return items;
  }
}

async function refresh() {
  const companyCard = document.getElementById("company");
  companyCard.replaceChildren();
  if (portal.me.company) {
    const company = await api("GET", `/api/companies/${encodeURIComponent(portal.me.company)}`);
    companyCard.append(el("h2", {}, company.displayName),
        el("p", {}, `Company ${company.name} — state `, el("strong", { id: "company-state" }, company.state),
            ` — contact ${company.contactEmail}`));
  } else {
    companyCard.append(el("h2", {}, "Provider view"), el("p", {}, "All networks of this service."));
  }
  const networks = (await allPages("/api/networks"))
      .filter(network => !portal.me.company || network.members.includes(portal.me.company));
  const container = document.getElementById("networks");
  container.replaceChildren();
  if (networks.length === 0) {
    container.append(el("p", { class: "card", id: "no-networks" },
        "Your company is not a member of any network yet. Create one or join one through the REST API."));
  }
  for (const network of networks) {
    container.append(await networkCard(network));
  }
}

async function networkCard(network) {
  const base = `/api/networks/${encodeURIComponent(network.name)}`;
  const card = el("div", { class: "card network", "data-network": network.name },
      el("h2", {}, `Network ${network.name}`),
      el("p", {}, network.description || ""),
      el("p", {}, `Owner: ${network.owner || "the provider"} — members: ${network.members.join(", ")}`));

  const peers = await allPages(`${base}/peers`);
  card.append(el("h3", {}, `Peers (${peers.length})`));
  const peerRows = peers.map(peer => el("tr", { class: "peer", "data-peer": peer.name },
      el("td", {}, peer.name), el("td", {}, peer.company),
      el("td", { class: `state state-${peer.state}` }, peer.state),
      el("td", {}, peer.address || "—"),
      el("td", {}, peer.lastHeartbeat ? new Date(peer.lastHeartbeat).toLocaleString() : "never")));
  card.append(el("table", { class: "peers" },
      el("tr", {}, el("th", {}, "Peer"), el("th", {}, "Company"), el("th", {}, "State"), el("th", {}, "Address"),
          el("th", {}, "Last heartbeat")), ...peerRows));

  try {
    const schema = await api("GET", `${base}/schema`);
    card.append(el("h3", {}, `Global schema, version ${schema.version}`));
    const tables = el("div", { class: "schema" });
    for (const table of schema.tables) {
      const rows = table.columns.map(column => el("tr", {},
          el("td", {}, column.name), el("td", {}, column.type),
          el("td", {}, column.nullable ? "" : "NOT NULL"),
          el("td", {}, table.primaryKey.includes(column.name) ? "primary key" : ""),
          el("td", {}, table.rangeIndexed.includes(column.name) ? "range index" : "")));
      tables.append(el("div", { class: "schema-table", "data-table": table.name }, el("h4", {}, table.name),
          el("table", {}, el("tr", {}, el("th", {}, "Column"), el("th", {}, "Type"), el("th", {}, "Null"),
              el("th", {}, "Key"), el("th", {}, "Index")), ...rows)));
    }
    card.append(tables);
  } catch (e) {
    card.append(el("p", { class: "no-schema" }, e.status === 404 ? "No global schema yet." : e.message));
  }

  try {
    const events = await api("GET", `${base}/events?size=10`);
    card.append(el("h3", {}, "Recent events"),
        el("ul", { class: "events" }, ...events.items.map(event =>
            el("li", {}, `${new Date(event.occurredAt).toLocaleString()} ${event.kind}: ${event.detail}`))));
  } catch (e) {
    card.append(el("p", {}, `Events unavailable: ${e.message}`));
  }
  return card;
}

document.getElementById("register-form").addEventListener("submit", register);
document.getElementById("login-form").addEventListener("submit", login);
document.getElementById("logout").addEventListener("click", logout);
document.getElementById("refresh").addEventListener("click", () => refresh().catch(e => alert(e.message)));
