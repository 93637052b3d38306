// 政策问答 page script, loaded once by qa/web/app.py (Blocks js=): one function Gradio runs on load.
//
// Clicks inside chat messages are handled by one delegated listener. Gradio sanitizes message HTML
// (no inline handlers, no data-* attributes), so buttons carry what they need in `class` and `value`.
// The same script puts Gradio's own English labels for screen readers into Chinese (a message's label
// would otherwise be "bot's message: " followed by its raw HTML) and, on a phone-sized screen, starts
// with the sidebar closed: open, it covers the whole page. The scroll helpers at the end are called
// by the app's event chains (window.__pqaScrollToPassage, window.__pqaScrollToLastQuestion).
() => {
  if (window.__pqaReady) return;
  window.__pqaReady = true;
  const NARROW = 768;
  const fire = (id) => { const b = document.getElementById(id); if (b) b.click(); };
  const copy = async (text) => {
    try { await navigator.clipboard.writeText(text); return true; } catch (e) {}
    const ta = document.createElement('textarea');
    ta.value = text; ta.setAttribute('readonly', ''); ta.style.position = 'fixed'; ta.style.opacity = '0';
    document.body.appendChild(ta); ta.select();
    let ok = false; try { ok = document.execCommand('copy'); } catch (e) {}
    ta.remove(); return ok;
  };
  const closeSidebarIfNarrow = () => {
    if (window.innerWidth > NARROW) return true;
    const side = document.getElementById('pqa-sidebar');
    if (!side) return false;
    if (side.classList.contains('open')) { const t = side.querySelector('.toggle-button'); if (t) t.click(); }
    return true;
  };
  let tries = 0;
  const closeLater = () => { if (!closeSidebarIfNarrow() && ++tries < 100) setTimeout(closeLater, 50); };
  closeLater();
  document.addEventListener('click', async (ev) => {
    const t = ev.target;
    if (!(t instanceof Element)) return;
    const view = t.closest('button.pqa-view');
    if (view) { ev.preventDefault(); window.__pqaSrc = view.value; fire('pqa-src-btn'); return; }
    const cp = t.closest('button.pqa-copy');
    if (cp) {
      ev.preventDefault();
      const ok = await copy(cp.value || '');
      cp.textContent = ok ? '已复制' : '复制失败';
      cp.classList.toggle('pqa-done', ok);
      setTimeout(() => { cp.textContent = '复制引用'; cp.classList.remove('pqa-done'); }, 1600);
      return;
    }
    const chip = t.closest('button.pqa-chip');
    if (chip) { ev.preventDefault(); window.__pqaAsk = chip.value; fire('pqa-ask-btn'); return; }
    if (t.closest('.pqa-example')) { setTimeout(closeSidebarIfNarrow, 0); return; }
    const ref = t.closest('.pqa-ref');
    if (ref) {
      const box = ref.closest('.pqa-answer');
      const label = ref.textContent.trim();
      const card = box && [...box.querySelectorAll('.pqa-card')].find(
        (c) => c.querySelector('.pqa-n').textContent.trim() === label);
      if (card) window.__pqaScrollTo(card, 'nearest');
    }
  }, true);
  // Scroll the chat's own box, never the page, so the header stays where it is.
  window.__pqaScrollTo = (el, how) => {
    let sc = el.parentElement;
    while (sc && !(sc.scrollHeight > sc.clientHeight && /(auto|scroll)/.test(getComputedStyle(sc).overflowY)))
      sc = sc.parentElement;
    if (!sc) return;
    const top = el.getBoundingClientRect().top - sc.getBoundingClientRect().top;
    if (how === 'start') sc.scrollTop += top - 4;
    else if (top < 0) sc.scrollTop += top - 4;
    else if (top + el.offsetHeight > sc.clientHeight) sc.scrollTop += top + el.offsetHeight - sc.clientHeight + 4;
  };
  const LABELS = {
    'Toggle Sidebar': '展开或收起侧栏', 'Click to upload or drop files': '点击上传或拖放文件',
    'File upload': '上传文件', 'chatbot conversation': '问答记录', 'Scroll down': '滚动到最新',
    'Gradio footer navigation': '页脚', 'Clear': '清除', 'Remove': '移除', 'Upload': '上传',
    'Close': '关闭', 'Download': '下载', 'Share': '分享', 'Retry': '重试', 'Undo': '撤销',
    'Copy': '复制', 'Copied': '已复制', 'Like': '赞', 'Dislike': '踩', 'Loading...': '加载中…',
  };
  // String work only (no parsing into the DOM): this runs for every message Gradio (re)labels.
  const ENT = {'&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'", '&amp;': '&'};
  const plain = (html, n) => {
    const t = html.slice(0, 4 * n).replace(/<[^>]*(>|$)/g, ' ').replace(/&(?:lt|gt|quot|amp|#x27|#39);/g, (e) => ENT[e])
      .replace(/\s+/g, ' ').trim();
    return t.length > n ? t.slice(0, n) + '…' : t;
  };
  const localize = (el) => {
    for (const a of ['aria-label', 'title']) {
      const v = el.getAttribute(a);
      if (!v) continue;
      let m;
      if (LABELS[v]) el.setAttribute(a, LABELS[v]);
      else if ((m = v.match(/^user's message: ([\s\S]*)$/))) el.setAttribute(a, '问题：' + plain(m[1], 200));
      else if ((m = v.match(/^(?:bot|assistant)'s message: ([\s\S]*)$/))) el.setAttribute(a, '回答：' + plain(m[1], 300));
    }
  };
  const scan = (root) => {
    if (root.nodeType !== 1) return;
    if (root.hasAttribute('aria-label') || root.hasAttribute('title')) localize(root);
    root.querySelectorAll('[aria-label], [title]').forEach(localize);
  };
  scan(document.body);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') localize(r.target);
      else r.addedNodes.forEach(scan);
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label', 'title']});

  // Scroll the viewer's own box (not the page) so the marked passage sits below the box's sticky head,
  // near its top third; bring the box itself into view only when it is off screen (narrow windows
  // stack the columns).
  window.__pqaScrollToPassage = () => {
    const m = document.getElementById('pqa-src-hl');
    if (!m) return;
    const box = m.closest('.pqa-src-box');
    const head = box.querySelector('.pqa-src-head');
    const b = box.getBoundingClientRect();
    if (b.top < 0 || b.top > window.innerHeight - 100) box.scrollIntoView({block: 'start'});
    const offset = m.getBoundingClientRect().top - box.getBoundingClientRect().top;
    const room = Math.max(box.clientHeight / 4, (head ? head.offsetHeight : 0) + 16);
    box.scrollTop += offset - room;
  };
  // Show the new question at the top of the chat so the answer reads from its start.
  window.__pqaScrollToLastQuestion = () => { setTimeout(() => {
    const qs = document.querySelectorAll('#pqa-chat .pqa-q');
    if (qs.length && window.__pqaScrollTo) window.__pqaScrollTo(qs[qs.length - 1], 'start');
  }, 30); };
}
