from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from diaodu.accounts.access import landing_page


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The site's address, and where logging in leads: the reader's daily work."""
    return redirect(landing_page(request.user))
