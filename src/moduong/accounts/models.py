import unicodedata

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from moduong.core import vntext

from .skeleton import skeleton


def username_key(username: str) -> str:
    """Two usernames are the same if they differ only in Unicode form, tone placement or case."""
    # NFKC folds look-alikes (fullwidth ｄｏｃｇｉａ is docgia) before Vietnamese normalisation.
    return vntext.normalize(unicodedata.normalize("NFKC", username)).casefold()


def username_skeleton(username: str) -> str:
    """Two usernames look the same if their skeletons are equal ("аdmin", "admin.", "Admin")."""
    return skeleton(username_key(username))[:600]


class User(AbstractUser):
    username_key = models.CharField(
        _("username key"), max_length=150, unique=True, editable=False, null=True
    )
    # Not unique: accounts made before the rule may share one; new ones are refused at sign-up.
    username_skeleton = models.CharField(
        _("username skeleton"), max_length=600, editable=False, db_index=True, default=""
    )
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args: object, **kwargs: object) -> None:
        # Derived on every save so no path (admin, shell, signup) can leave it stale.
        self.username = vntext.normalize(self.username)
        self.username_key = username_key(self.username)
        self.username_skeleton = username_skeleton(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {  # type: ignore[misc]
                *update_fields,  # type: ignore[misc]
                "username_key",
                "username_skeleton",
            }
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_full_name(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


def user_display(user: User) -> str:
    """How allauth names a person in its messages ("Đăng nhập thành công: …")."""
    return user.display_name
