/* The bridge between Zendesk's ticket sidebar and heard's panel (framed below it).
 *
 * Zendesk's side (ZAF): ZAFClient.init(), client.get('ticket') for the ticket's id, and
 * client.invoke('comment.appendText', text) when the agent presses "Insert" in the panel.
 * heard's side: window.postMessage, only to and from the panel's own origin:
 *   to the panel:   {"event": "heard:context", "data": {"conversation": {"id": <ticket id>},
 *                    "currentAgent": {"name": ...}}}  (a JSON string, like Chatwoot's appContext)
 *   from the panel: {"event": "heard:fetch-info"}   -> the context again
 *                   {"event": "heard:insert", "text": "..."} -> appended to the reply
 */
(function () {
  "use strict";
  var client = window.ZAFClient.init();
  var frame = document.getElementById("heard-panel");
  var panelOrigin = new URL(frame.src, window.location.href).origin;

  client.invoke("resize", { width: "100%", height: "660px" });

  function sendContext() {
    Promise.all([client.get("ticket"), client.get("currentUser")]).then(function (got) {
      var ticket = got[0].ticket || {};
      var user = (got[1] && got[1].currentUser) || {};
      var context = {
        event: "heard:context",
        data: { conversation: { id: ticket.id }, currentAgent: { id: user.id, name: user.name } }
      };
      frame.contentWindow.postMessage(JSON.stringify(context), panelOrigin);
    });
  }

  // The panel may have loaded before this script ran (its load event then came too early):
  // send now too, and again on load and whenever the panel asks.
  frame.addEventListener("load", sendContext);
  sendContext();
  client.on("app.activated", sendContext);
  client.on("ticket.save", function () { window.setTimeout(sendContext, 1500); });

  window.addEventListener("message", function (event) {
    if (event.origin !== panelOrigin || event.source !== frame.contentWindow) return;
    var message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    if (!message || typeof message !== "object") return;
    if (message.event === "heard:fetch-info") sendContext();
    if (message.event === "heard:insert" && typeof message.text === "string" && message.text) {
      client.invoke("comment.appendText", message.text);
    }
  });
})();
