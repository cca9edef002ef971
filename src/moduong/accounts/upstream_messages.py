"""Messages of allauth and Django that readers see, listed so that `makemessages` keeps them in
our Vietnamese catalogue (allauth ships no Vietnamese; Django's is incomplete).
Nothing imports this module."""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_noop

UPSTREAM = [
    # allauth adapter errors
    _("This account is currently inactive."),
    _("The email address and/or password you specified are not correct."),
    _("A user is already registered with this email address."),
    _("Please type your current password."),
    _("Incorrect password."),
    _("Invalid or expired key."),
    _("The password reset token was invalid."),
    _("Too many failed login attempts. Try again later."),
    _("The email address is not assigned to any user account."),
    _("Your primary email address must be verified."),
    _("Username can not be used. Please use other username."),
    _("The username and/or password you specified are not correct."),
    _("Be patient, you are sending too many requests."),
    _("The new value must be different from the current one."),
    _("You must type the same password each time."),
    _("Current Password"),
    _("New Password"),
    _("New Password (again)"),
    _("Email address"),
    _("Email"),
    _("Password"),
    # allauth messages after an action
    _("Confirmation email sent to %(email)s."),
    _("You have confirmed %(email)s."),
    _("Successfully signed in as %(name)s."),
    _("You have signed out."),
    _("Password successfully changed."),
    _("Password successfully set."),
    _("Unable to confirm %(email)s because it is already confirmed by a different account."),
    # Django's auth validators and fields
    _("This password is too common."),
    _("This password is entirely numeric."),
    _("The password is too similar to the %(verbose_name)s."),
    _("A user with that username already exists."),
    _(
        "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_"
        " characters."
    ),
    _("Enter a valid email address."),
    _("This field is required."),
    ngettext_noop(
        "This password is too short. It must contain at least %(min_length)d character.",
        "This password is too short. It must contain at least %(min_length)d characters.",
        8,
    ),
    ngettext_noop(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        150,
    ),
    ngettext_noop(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        3,
    ),
]
