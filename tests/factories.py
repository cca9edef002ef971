import factory
from allauth.account.models import EmailAddress

from moduong.accounts.models import User

PASSWORD = "Sách-hay-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bandoc{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    full_name = "Nguyễn Văn An"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)
