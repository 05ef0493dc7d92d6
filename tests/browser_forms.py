"""Forms read out of rendered HTML and submitted as a browser would submit them.

A test that posts a form must post what the page contains: the fields it renders, with the
values it renders, and nothing else. `read_form()` parses a page's form; the test changes
only the fields a person would change (`form.set("title", …)`), then `form.submit(client)`.
A field the page does not render cannot be set: that is the point.
"""

from urllib.parse import urljoin

import lxml.html


class RenderedForm:
    def __init__(self, element, page_url):
        self.element = element
        self.action = urljoin(page_url, element.get("action") or page_url)
        self.method = (element.get("method") or "get").lower()
        self.fields = []  # (name, value) in page order, as a browser sends them
        self.names = set()
        self.buttons = {}
        self.controls = _owned_controls(element)
        for control in self.controls:
            name = control.get("name")
            if not name or control.get("disabled") is not None:
                continue
            self.names.add(name)
            kind = (control.get("type") or "").lower()
            if control.tag == "button" or kind in ("submit", "image"):
                self.buttons.setdefault(name, []).append(control.get("value") or "")
            elif control.tag == "select":
                chosen = [o for o in control.iter("option") if o.get("selected") is not None]
                options = list(control.iter("option"))
                if control.get("multiple") is not None:
                    self.fields += [(name, _option_value(o)) for o in chosen]
                elif chosen or options:
                    self.fields.append((name, _option_value((chosen or options)[0])))
            elif control.tag == "textarea":
                self.fields.append((name, _textarea_value(control)))
            elif kind in ("checkbox", "radio"):
                if control.get("checked") is not None:
                    self.fields.append((name, control.get("value") or "on"))
            elif kind == "file":
                continue
            elif kind != "reset":
                self.fields.append((name, control.get("value") or ""))

    def get(self, name):
        return next((value for field, value in self.fields if field == name), None)

    def set(self, name, value):
        """Type into (or tick, or choose in) a field the page renders."""
        if name not in self.names:
            raise KeyError(f"the page renders no field named {name!r}")
        self.fields = [(field, v) for field, v in self.fields if field != name]
        if value is not None and value is not False:
            self.fields.append((name, "on" if value is True else str(value)))
        return self

    def tick(self, name, value):
        """Tick the checkbox, or choose the radio button, that the page renders with this
        value (for a group of boxes of one name, where `set(name, True)` cannot say which)."""
        value = str(value)
        kinds = {
            (control.get("type") or "").lower()
            for control in self.controls
            if control.get("name") == name
            and (control.get("type") or "").lower() in ("checkbox", "radio")
            and (control.get("value") or "on") == value
        }
        if not kinds:
            raise KeyError(f"the page renders no {name!r} box with value {value!r}")
        if "radio" in kinds:
            self.fields = [(field, v) for field, v in self.fields if field != name]
        if (name, value) not in self.fields:
            self.fields.append((name, value))
        return self

    def add_inline_row(self, prefix, **values):
        """What the admin's “Add another” link does: copy the empty row, count it in."""
        total = int(self.get(f"{prefix}-TOTAL_FORMS"))
        template = f"{prefix}-__prefix__-"
        row = [(name, value) for name, value in self.fields if name.startswith(template)]
        if not row:
            raise KeyError(f"the page renders no empty {prefix!r} row to add")
        for name, value in row:
            new_name = name.replace("__prefix__", str(total))
            self.names.add(new_name)
            self.fields.append((new_name, value))
        for name in self.names.copy():
            if name.startswith(template) and name not in dict(row):
                self.names.add(name.replace("__prefix__", str(total)))
        self.set(f"{prefix}-TOTAL_FORMS", total + 1)
        for name, value in values.items():
            self.set(f"{prefix}-{total}-{name}", value)
        return total

    def forge(self, name, value):
        """Add a field the page does NOT render, as an attacker would: for tests that the
        server ignores or refuses it."""
        self.names.add(name)
        self.fields.append((name, str(value)))
        return self

    def data(self, button=None, value=None):
        pairs = list(self.fields)
        if button is not None:
            if button not in self.buttons:
                raise KeyError(f"the page renders no button named {button!r}")
            if value is not None and value not in self.buttons[button]:
                raise KeyError(f"the page renders no {button!r} button with value {value!r}")
            pairs.append((button, value if value is not None else self.buttons[button][0]))
        data = {}
        for name, field_value in pairs:
            data.setdefault(name, []).append(field_value)
        return data

    def submit(self, client, button=None, value=None, files=None, **extra):
        data = self.data(button, value)
        if files:
            for name, upload in files.items():
                if name not in self.names:
                    raise KeyError(f"the page renders no file field named {name!r}")
                data[name] = upload
        if self.method == "post":
            return client.post(self.action, data, **extra)
        return client.get(self.action, data, **extra)


def _owned_controls(form):
    """The controls a browser submits with the form, in page order: those inside it without
    a `form` attribute naming another form, and those anywhere whose `form` names it."""
    form_id = form.get("id")
    owned = []
    for control in form.getroottree().getroot().iter("input", "textarea", "select", "button"):
        owner = control.get("form")
        if owner is not None:
            if form_id is not None and owner == form_id:
                owned.append(control)
        elif next(control.iterancestors("form"), None) is form:
            owned.append(control)
    return owned


def _option_value(option):
    value = option.get("value")
    return value if value is not None else (option.text or "")


def _textarea_value(control):
    text = control.text or ""
    # The HTML parser keeps the newline browsers drop right after <textarea>.
    return text[1:] if text.startswith("\n") else text


def read_form(response_or_html, selector="form", *, url=None):
    """The first form on the page matching the CSS selector, as a browser would submit it."""
    if hasattr(response_or_html, "content"):
        html = response_or_html.content.decode()
        url = url or response_or_html.wsgi_request.get_full_path()
    else:
        html = response_or_html
    document = lxml.html.fromstring(html)
    found = document.cssselect(selector)
    if not found:
        raise LookupError(f"the page has no form matching {selector!r}")
    element = found[0]
    if element.tag != "form" and element.get("form") is not None:
        # A control placed outside its form, tied to it by the `form` attribute.
        element = document.xpath("//form[@id=$id]", id=element.get("form"))[0]
    elif element.tag != "form":
        element = next(element.iterancestors("form"))
    return RenderedForm(element, url or "/")


class FormsByButton:
    """A page with a form per button (the workflow panel: a form per step, each with its
    own fields and its own button). Fields are set as a person fills them in; `submit()`
    posts the form of the button pressed, and refuses a field that form does not render."""

    def __init__(self, html, selector, url):
        self.html, self.selector, self.url = html, selector, url
        self.changes = []  # (method, name, value), applied to the form of the button pressed
        if not lxml.html.fromstring(html).cssselect(selector):
            raise LookupError(f"the page has no form matching {selector!r}")

    def form_of(self, button, value):
        selector = f"{self.selector} button[name={button}][value={value}]"
        try:
            return read_form(self.html, selector, url=self.url)
        except (LookupError, StopIteration):
            raise KeyError(f"the page renders no {button!r} button with value {value!r}") from None

    def get(self, name):
        return read_form(self.html, self.selector, url=self.url).get(name)

    def set(self, name, value):
        self.changes.append(("set", name, value))
        return self

    def forge(self, name, value):
        self.changes.append(("forge", name, value))
        return self

    def submit(self, client, button, value, **extra):
        form = self.form_of(button, value)
        for method, name, field_value in self.changes:
            getattr(form, method)(name, field_value)
        return form.submit(client, button, value, **extra)


def read_forms_by_button(response, selector):
    """The forms matching the selector on the page, each posted with its own button."""
    return FormsByButton(response.content.decode(), selector, response.wsgi_request.get_full_path())


def admin_change_form(client, url):
    """GET an admin add or change page and read its form."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return read_form(response, "form#meeting_form, #content-main form[method=post]", url=url)
