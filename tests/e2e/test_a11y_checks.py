"""The accessibility checks the journeys run find what they look for: a page with every
fault is refused with each one named, and a page without any passes."""
import pytest

from tests.e2e.a11y import assert_accessible

#: a stand-in for Bootstrap's focus ring, and a link style that hides it
STYLE = """<style>
  button:focus-visible, input:focus-visible { outline: 2px solid #0a58ca; }
  .bare:focus-visible { outline: none; }
  nav { background: #0d6efd; }
  nav a:focus-visible { outline: none; box-shadow: 0 0 0 .25rem rgba(13, 110, 253, .25); }
</style>"""

GOOD = f"""<!doctype html><html lang="zh-CN"><head>{STYLE}</head><body>
<a href="#main">跳到正文</a>
<main id="main"><h1>标题</h1>
  <form><label for="name">姓名</label><input id="name" name="name">
    <label><input type="checkbox" name="agree"> 同意</label>
    <select name="role" aria-label="角色"><option>寝室信息员</option></select>
    <span id="hint">备注</span><textarea name="note" aria-labelledby="hint"></textarea>
    <label for="age">年龄</label>
    <input class="is-invalid" id="age" name="age" aria-invalid="true" aria-describedby="age-error">
    <div class="invalid-feedback" id="age-error">请填写数字</div>
    <input type="hidden" name="csrf_token" value="x"><button type="submit">提交</button></form>
  <img src="data:," alt="">
  <svg role="img" aria-label="二维码" width="10" height="10"></svg>
  <svg aria-hidden="true" width="10" height="10"><a href="/x" tabindex="-1"><text>x</text></a></svg>
</main></body></html>"""

BAD = f"""<!doctype html><html><head>{STYLE}</head><body>
<nav><a href="/home">首页</a></nav>
<main><h1>一</h1><h1>二</h1>
  <input name="lonely"><label for="nowhere">孤立的标签</label><label for="empty"></label>
  <input id="empty" name="empty">
  <label for="age">年龄</label><input class="is-invalid" id="age" name="age">
  <div class="invalid-feedback">请填写数字</div>
  <img src="data:,">
  <svg width="10" height="10"></svg>
  <svg role="img" aria-label="图" width="10" height="10"><a href="/bar"><text>x</text></a></svg>
  <button type="button"></button>
  <a class="bare" href="/plain">看不见焦点</a>
  <button type="button" tabindex="2">插队</button>
  <a id="trap" href="/trap">把焦点扔回开头</a>
</main>
<script>
  document.getElementById("trap").addEventListener("focus", () => document.querySelector("nav a").focus());
</script></body></html>"""

EXPECTED = [
    "<html> has no lang",
    "2 h1 headings, not one",
    "input[name=lonely] has no label",
    "label for=nowhere points to nothing",
    "input#empty[name=empty] has no label",
    "img data:, has no alt",
    "input#age[name=age] is marked invalid but not aria-invalid, described by its message",
    "svg is neither labelled (role + aria-label) nor aria-hidden",
    "a[href=/bar] takes the focus inside a hidden picture",
    "button has no name",
    "button has tabindex > 0: it breaks the order",
    "a[href=/home] shows no focus",
    "a[href=/plain] shows no focus",
    "Tab went back to a[href=/home]: not in reading order",
]


def test_a_page_with_every_fault_is_refused_with_each_named(page):
    page.set_content(BAD)
    with pytest.raises(AssertionError) as refused:
        assert_accessible(page)
    report = str(refused.value)
    missed = [problem for problem in EXPECTED if problem not in report]
    assert missed == [], report


def test_a_page_without_faults_passes(page):
    page.set_content(GOOD)
    assert_accessible(page)
