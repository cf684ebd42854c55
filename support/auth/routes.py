"""Views of the account pages: thin, each calls one service."""

from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _, refresh
from flask_login import current_user, login_required, login_url, login_user, logout_user

from ..errors import ServiceError
from ..extensions import limiter, login_manager
from ..forms import apply_errors
from ..i18n import LANG_COOKIE
from ..security import is_safe_next
from ..services import accounts
from . import bp
from .forms import ActionForm, LoginForm, PasswordForm, RegisterForm


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id):
        return accounts.load_session_user(session_id)

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error={"code": "unauthorized", "message": _("Please log in first.")}), 401
        return redirect(login_url("auth.login", _return_to()))


def _return_to():
    """Where to come back after logging in: this page, or for a button (a POST) the page it was on."""
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        target = referrer.path + (f"?{referrer.query}" if referrer.query else "")
        if is_safe_next(target):
            return target
    return None


def _next_url(default="qa.index"):
    target = request.form.get("next") or request.args.get("next")
    return target if is_safe_next(target) else url_for(default)


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _register_limit():
    return current_app.config["REGISTER_RATE_LIMIT"]


def _account_limit():
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def account_key() -> str:
    """Key of the per-account sign-in limit: the account an attempt names (page form or API
    JSON), however spelled, so guessing one password from many addresses meets one limit."""
    data = request.get_json(silent=True) if request.is_json else request.form
    login = (data.get("login") or data.get("username")) if hasattr(data, "get") else None
    return f"login-account:{accounts.account_key(login)}"


def _failed_login(response) -> bool:
    """Only failed sign-ins count per account (a success redirects): members signing in are not guesses."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=account_key, methods=["POST"], deduct_when=_failed_login)
def login():
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = accounts.authenticate(form.login.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong username or password."))
        else:
            session.clear()  # a fresh session at every login
            login_user(user, remember=form.remember.data)
            refresh()  # the member's own language from here on (i18n.pin_locale)
            flash(_("Welcome back, %(name)s!", name=user.shown_name), "success")
            return redirect(_next_url())
    return render_template("auth/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("qa.index"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = request.cookies.get(LANG_COOKIE) or request.accept_languages.best_match(["it", "en"]) or "it"
    if form.validate_on_submit():
        try:
            user = accounts.register_user(form.username.data, form.email.data, form.password.data, form.locale.data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            session.clear()
            login_user(user)
            refresh()
            flash(_("Welcome to the community, %(name)s!", name=user.username), "success")
            return redirect(_next_url())
    return render_template("auth/register.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    ActionForm()  # CSRF is checked by CSRFProtect before we get here
    logout_user()
    session.clear()
    refresh()
    flash(_("You are signed out."), "info")
    return redirect(url_for("qa.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.change_password(current_user.id, form.current_password.data, form.password.data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            session.clear()
            login_user(user)  # this session stays; every other one ends
            flash(_("Your password was changed. Other sessions were signed out."), "success")
            return redirect(url_for("users.profile", user_id=user.id))
    return render_template("auth/password.html", form=form)


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    if current_user.is_authenticated:
        accounts.update_preferences(current_user.id, locale=lang)
    response = make_response(redirect(_next_url()))
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
