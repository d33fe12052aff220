"""Every kind of field renders the matching NHS.UK component, with its error."""

import pytest
from django import forms
from django.template import engines

from nhs_citizen.nhsuk_forms import fields
from nhs_citizen.nhsuk_forms.bound_field import error_list


class ExampleForm(forms.Form):
    name = fields.CharField(label="Your name", hint="As you would like it shown", max_length=20)
    email = fields.EmailField(label="Email address")
    password = fields.PasswordField(label="Password")
    story = fields.CharField(label="Your story", multiline=True, max_length=500, required=False)
    colour = fields.ChoiceField(
        label="Colour", choices=[("red", "Red"), ("blue", "Blue")], item_hints={"red": "Warm"}
    )
    size = fields.ChoiceField(
        label="Size", choices=[("", "Choose"), ("s", "Small")], widget=forms.Select, required=False
    )
    topics = fields.MultipleChoiceField(
        label="Topics", choices=[("a", "A"), ("b", "B")], required=False
    )
    agree = fields.BooleanField(label="I agree")
    count = fields.IntegerField(label="How many", required=False, width=3)
    website = fields.URLField(label="Website", required=False)


def test_each_widget_renders_its_nhs_component():
    form = ExampleForm()
    assert 'class="nhsuk-input' in str(form["name"])
    assert "As you would like it shown" in str(form["name"])
    assert 'type="email"' in str(form["email"])
    assert 'spellcheck="false"' in str(form["email"])
    assert "nhsuk-password-input" in str(form["password"])
    assert "nhsuk-character-count" in str(form["story"])
    assert "nhsuk-radios" in str(form["colour"]) and "Warm" in str(form["colour"])
    assert "<select" in str(form["size"])
    assert "nhsuk-checkboxes" in str(form["topics"])
    assert "nhsuk-checkboxes" in str(form["agree"])
    assert "nhsuk-input--width-3" in str(form["count"])
    assert "<legend" in str(form["colour"])


def test_errors_render_in_the_field_and_in_the_summary_in_field_order():
    form = ExampleForm({"name": "x" * 30, "email": "not-an-email", "colour": "green"})
    assert not form.is_valid()
    name_html = str(form["name"])
    assert "nhsuk-form-group--error" in name_html
    assert "Your name must be 20 characters or fewer" in name_html
    items = error_list(form)
    assert [item["href"] for item in items] == [
        "#id_name",
        "#id_email",
        "#id_password",
        "#id_colour",
        "#id_agree",
    ]
    assert items[1]["text"] == "Enter an email address in the correct format, like name@example.com"
    assert items[2]["text"] == "Enter your password"
    assert items[3]["text"] == "Select one of the options"


def test_a_non_field_error_links_to_the_first_field():
    form = ExampleForm({})
    form.is_valid()
    form.add_error(None, "Something is wrong with the whole form")
    assert error_list(form)[0] == {
        "text": "Something is wrong with the whole form",
        "href": "#id_name",
    }


def test_user_input_is_escaped():
    form = ExampleForm({"name": '<script>alert("x")</script>'})
    html = str(form["name"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_checked_choices_stay_checked_after_an_error():
    form = ExampleForm({"colour": "blue", "topics": ["b"]})
    form.is_valid()
    assert 'value="blue" checked' in str(form["colour"])
    assert 'value="b" checked' in str(form["topics"])


@pytest.mark.django_db
def test_the_error_summary_component_renders_with_the_error_title(rf):
    form = ExampleForm({})
    form.is_valid()
    template = engines["jinja2"].from_string(
        '{% from "components/error_summary/macro.jinja" import app_error_summary %}{{ app_error_summary(form) }}'
    )
    html = template.render({"form": form})
    assert "There is a problem" in html
    assert 'href="#id_email"' in html
