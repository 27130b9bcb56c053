from django.contrib.auth.forms import AuthenticationForm

from diaodu.core.forms import BootstrapMixin


class LoginForm(BootstrapMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autofocus"] = True
