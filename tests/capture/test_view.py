"""Where the login form stands on the screenshot: the pure part (boxes in, outline out)."""

from __future__ import annotations

from preflight.capture.view import FrameLayout, frame_layout, locate_login, page_view
from preflight.model.snapshot import Box, PageView
from tests.portal_pages import box, button, form, frame, password

USER, PASS, SUBMIT = Box(100, 200, 300, 40), Box(100, 260, 300, 40), Box(100, 320, 120, 36)


def test_the_form_holding_one_password_is_outlined_not_the_sign_up_beside_it():
    login = frame(forms=[form("Sign up"), form("Sign in")],
                  inputs=[box("Email", "email", form=0), password(form=0), password("Repeat", form=0),
                          box("User ID", form=1), password(form=1)])
    layout = FrameLayout(forms=(Box(700, 100, 400, 400), Box(80, 180, 340, 200)),
                         inputs=(Box(720, 120, 300, 40), Box(720, 180, 300, 40), Box(720, 240, 300, 40), USER, PASS))
    outline, fields, frame_index = locate_login([login], [layout])
    assert outline == Box(80, 180, 340, 200)
    assert fields == (USER, PASS) and frame_index == 0


def test_formless_fields_are_outlined_together_with_their_button_and_a_margin():
    card = frame(inputs=[box("User ID", form=None), password(form=None)], buttons=[button("Log in", form=None),
                                                                                   button("Chat", form=None)])
    layout = FrameLayout(inputs=(USER, PASS), buttons=(SUBMIT, Box(1200, 650, 60, 60)))
    outline, fields, _ = locate_login([card], [layout])
    # the fields and the Log in button, 8 px around; the chat bubble far away is not part of it
    assert outline == Box(92, 192, 316, 172)
    assert fields == (USER, PASS)


def test_a_form_laid_out_smaller_than_its_fields_falls_back_to_the_fields():
    collapsed = frame(forms=[form("Sign in")], inputs=[box("User ID"), password()])
    outline, _, _ = locate_login([collapsed], [FrameLayout(forms=(Box(100, 200, 300, 2),), inputs=(USER, PASS))])
    assert outline is not None and outline.height > 100


def test_a_login_in_a_frame_is_placed_by_the_frame_offset():
    outer = frame(title="Portal")
    inner = frame(url="https://login.example.net/", forms=[form("Sign in")], inputs=[box("User ID"), password()],
                  cross_origin=True)
    raw = {"form_boxes": [[10, 10, 320, 200]], "input_boxes": [[20, 30, 300, 40], [20, 90, 300, 40]]}
    view = page_view(b"png", 1280, 720, [outer, inner], [FrameLayout(), frame_layout(raw, (400.0, 150.0))])
    assert view.login_form == Box(410, 160, 320, 200)
    assert view.login_fields[0] == Box(420, 180, 300, 40)
    assert view.frame_url == "https://login.example.net/"


def test_no_login_fields_no_outline_and_unmeasured_frames_are_skipped():
    search = frame(forms=[form()], inputs=[box("Search", "search")])
    assert locate_login([search], [FrameLayout(forms=(Box(0, 0, 100, 30),), inputs=(Box(0, 0, 100, 30),))]) \
        == (None, (), None)
    login = frame(forms=[form("Sign in")], inputs=[box("User ID"), password()])
    assert locate_login([login], [None]) == (None, (), None)


def test_malformed_boxes_are_dropped():
    layout = frame_layout({"input_boxes": [None, [1, 2, 3], [0, 0, 0, 0], ["a", 1, 2, 3], [5, 5, 10, 10]]})
    assert layout.inputs == (None, None, None, None, Box(5, 5, 10, 10))


def test_clipping_to_the_screenshot():
    view = PageView(png=b"", width=1280, height=720)
    assert view.clipped(Box(100, 600, 200, 300)) == Box(100, 600, 200, 120)
    assert view.clipped(Box(100, 900, 200, 300)) is None
