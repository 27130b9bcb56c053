from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from diaodu.accounts import forms, services
from diaodu.accounts.access import landing_page, own_tokens


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The site's address, and where logging in leads: the reader's daily work."""
    return redirect(landing_page(request.user))


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The person's own API tokens, each revocable."""
    return render(
        request,
        "accounts/token_list.html",
        {
            "tokens": own_tokens(request.user),
            "days": settings.DIAODU_TOKEN_DAYS,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(own_tokens(request.user), pk=pk)
    services.revoke_token(token, actor=request.user)
    messages.success(request, _("The token %(token)s was revoked.") % {"token": token})
    return redirect("accounts:token_list")


password_change = auth_views.PasswordChangeView.as_view(
    form_class=forms.PasswordChangeForm,
    template_name="accounts/password_form.html",
    success_url=reverse_lazy("accounts:password_change_done"),
    extra_context={"title": gettext_lazy("Change password")},
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_message.html",
    extra_context={
        "title": gettext_lazy("Password changed"),
        "message": gettext_lazy(
            "Your password was changed. API tokens issued with the old one no longer work."
        ),
    },
)
password_reset = auth_views.PasswordResetView.as_view(
    form_class=forms.PasswordResetForm,
    template_name="accounts/password_form.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
    extra_context={
        "title": gettext_lazy("Reset password"),
        "intro": gettext_lazy(
            "Enter the e-mail address of your account: we will send you a link to choose "
            "a new password."
        ),
        "submit": gettext_lazy("Send the link"),
    },
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_message.html",
    extra_context={
        "title": gettext_lazy("Reset password"),
        "message": gettext_lazy(
            "If an account has this address, a link to choose a new password is on its way. "
            "It works once, for a few days."
        ),
    },
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=forms.SetPasswordForm,
    template_name="accounts/password_form.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
    extra_context={"title": gettext_lazy("Choose a new password")},
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_message.html",
    extra_context={
        "title": gettext_lazy("Password changed"),
        "message": gettext_lazy("Your new password is set: you can log in with it now."),
        "login": True,
    },
)
