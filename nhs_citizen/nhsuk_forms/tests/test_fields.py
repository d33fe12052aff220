"""Every kind of field renders the matching NHS.UK component, with its error."""

import pytest
from django import forms
from django.template import engines

from nhs_citizen.core.models import Topic
from nhs_citizen.nhsuk_forms import fields
from nhs_citizen.nhsuk_forms.bound_field import error_list


class ExampleForm(forms.Form):
    name = fields.CharField(
        label="Your name", hint="As you would like it shown", max_length=20, what="your name"
    )
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
    assert "Enter your name in 20 characters or fewer" in name_html
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


# Errors written for each field ------------------------------------------------------------------
class FlagForm(forms.Form):
    title = fields.CharField(
        label="What is your flag about?",
        max_length=120,
        error_messages={"required": "Enter what your flag is about"},
    )
    why = fields.CharField(label="Why does this matter?", min_length=10, what="why this matters")
    place = fields.CharField(label="Town (optional)", required=False, max_length=5, what="a town")
    age = fields.ChoiceField(label="How old are you?", choices=[("1", "Under 18")], what="your age")
    body = fields.ModelChoiceField(
        label="Which body?", queryset=Topic.objects.none(), what="the body that should answer"
    )
    size = fields.IntegerField(label="How many people?", min_value=2, max_value=500, what="a size")
    reserves = fields.IntegerField(
        label="How many reserves?",
        max_value=200,
        error_messages={"max_value": "Choose up to 200 reserves"},
        what="how many reserves",
    )
    note = fields.CharField(
        label="Note",
        max_length=10,
        error_messages={"required": "Enter a note, for example Table 4"},
        what="a note",
    )


def _errors(data):
    form = FlagForm(data)
    form.is_valid()
    return {name: list(errors) for name, errors in form.errors.items()}


@pytest.mark.django_db
def test_messages_come_from_what_the_answer_is_never_from_the_question():
    errors = _errors({})
    assert errors["title"] == ["Enter what your flag is about"]
    assert errors["why"] == ["Enter why this matters"]
    assert errors["age"] == ["Select your age"]
    assert errors["body"] == ["Select the body that should answer"]
    assert errors["size"] == ["Enter a size"]
    assert errors["note"] == ["Enter a note, for example Table 4"]
    assert "place" not in errors
    errors = _errors(
        {"title": "x" * 121, "why": "short", "place": "Leeds!", "size": "1", "reserves": "300"}
    )
    assert errors["title"] == ["Enter what your flag is about in 120 characters or fewer"]
    assert errors["why"] == ["Enter why this matters in 10 characters or more"]
    assert errors["place"] == ["Enter a town in 5 characters or fewer"]
    assert errors["size"] == ["Enter a size from 2 to 500"]
    assert errors["reserves"] == ["Choose up to 200 reserves"]
    assert _errors({"size": "many"})["size"] == ["Enter a size as a whole number"]
    assert _errors({"note": "x" * 11})["note"] == ["Enter a note in 10 characters or fewer"]
    for messages in errors.values():
        for message in messages:
            assert "?" not in message


def test_a_long_required_message_is_not_stretched_into_the_others():
    field = fields.CharField(
        label="Name", max_length=10, error_messages={"required": "Enter a name, like Spring 2027"}
    )
    assert field.what is None
    assert field.error_messages["max_length"] == "Enter 10 characters or fewer"


def test_two_errors_on_a_field_are_two_messages_not_one_run_together():
    form = ExampleForm({"name": "Jo"})
    form.is_valid()
    form.add_error("name", "Enter a name that nobody else uses")
    form.add_error("name", "Enter a name without numbers")
    html = str(form["name"])
    assert "Enter a name that nobody else uses<br>" in html
    assert html.count(">Error: </span>") == 2
    assert "uses Enter" not in html and "uses. Enter" not in html
    texts = [item["text"] for item in error_list(form) if item["href"] == "#id_name"]
    assert texts == ["Enter a name that nobody else uses", "Enter a name without numbers"]
    # Each is escaped on its own.
    form.add_error("name", "<b>Not bold</b>")
    assert "&lt;b&gt;Not bold&lt;/b&gt;" in str(form["name"])


def test_service_errors_shown_at_the_top_of_the_next_page_are_one_message_each(rf):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.core.exceptions import ValidationError

    from nhs_citizen.nhsuk_forms.errors import flash_errors

    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    flash_errors(
        request, ValidationError(["The vote has closed", "The jury has met."]), then="Try again."
    )
    assert [m.message for m in get_messages(request)] == [
        "The vote has closed",
        "The jury has met. Try again.",
    ]
