/* WeChat share card (only loaded when QUIZAPP_WECHAT_SHARE=1; see quizapp/publicity/share.py).
   Signs this page with the official account's service, then passes the OpenGraph meta to the JS-SDK. */
(function () {
  "use strict";
  var script = document.currentScript;
  var signer = script && script.getAttribute("data-signature-url");
  if (!signer || typeof window.wx === "undefined" || !window.fetch) { return; }
  function meta(property) {
    var node = document.querySelector('meta[property="' + property + '"]');
    return node ? node.getAttribute("content") : "";
  }
  var page = location.href.split("#")[0];
  fetch(signer + (signer.indexOf("?") < 0 ? "?" : "&") + "url=" + encodeURIComponent(page), { credentials: "omit" })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(function (sig) {
      window.wx.config({ debug: false, appId: sig.appId, timestamp: sig.timestamp, nonceStr: sig.nonceStr,
        signature: sig.signature, jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"] });
      window.wx.ready(function () {
        var card = { title: meta("og:title"), desc: meta("og:description"), link: page, imgUrl: meta("og:image") };
        window.wx.updateAppMessageShareData(card);
        window.wx.updateTimelineShareData({ title: card.title, link: card.link, imgUrl: card.imgUrl });
      });
    })
    .catch(function () { /* no card: WeChat falls back to its default link preview */ });
}());
