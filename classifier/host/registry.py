"""Build an engine's plugin manager: built-in, entry-point, file and object plugins, isolated.

Why a module of its own: loading is where third-party code first runs, so it is where most
failures happen. Each plugin is imported and registered inside its own ``try``; a failure is
recorded as a :class:`LoadProblem` naming the plugin (and hook), the plugin is left out, and the
rest load -- unless ``strict`` asks for the first failure to be fatal.

Built-in plugins are registered through exactly the same path as third-party ones (the way
llm's ``DEFAULT_PLUGINS`` and sqlfluff's built-in rule groups are).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable, Mapping

import pluggy

from classifier import hookspecs
from classifier.errors import ConfigError, PluginError

ENTRY_POINT_GROUP = "policy_classifier"
ENV_PLUGINS = "POLICY_CLASSIFIER_PLUGINS"

DEFAULT_PLUGINS: tuple[tuple[str, str], ...] = (
    ("segment", "classifier.plugins.segmenter"),
    ("langdetect", "classifier.plugins.langdetect"),
    ("military", "classifier.plugins.military"),
    ("sanctions", "classifier.plugins.sanctions"),
    ("tariffs", "classifier.plugins.tariffs"),
    ("extradition", "classifier.plugins.extradition"),
    ("rewards", "classifier.plugins.rewards"),
    ("modality", "classifier.plugins.modality"),
    ("actors", "classifier.plugins.actors"),
    ("amounts", "classifier.plugins.amounts"),
)


@dataclass(frozen=True)
class LoadProblem:
    """A plugin that could not be loaded or called at load time, and why."""

    plugin: str
    hook: str | None
    message: str

    def __str__(self) -> str:
        return str(PluginError(self.plugin, self.hook, self.message))


@dataclass(frozen=True)
class PluginInfo:
    """Where a registered plugin came from (for ``policy-classify plugins``)."""

    name: str
    source: str
    version: str


def allowed_names(env: dict[str, str] | None = None) -> set[str] | None:
    """Names listed in ``POLICY_CLASSIFIER_PLUGINS`` (comma-separated), or None for all."""
    value = (env if env is not None else os.environ).get(ENV_PLUGINS)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


class PluginLoader:
    """Fills a pluggy manager, collecting problems instead of stopping at the first one."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.problems: list[LoadProblem] = []
        self.info: dict[str, PluginInfo] = {}
        self._package_version = _version("policy-classifier")

    def fail(self, plugin: str, hook: str | None, message: str) -> None:
        problem = LoadProblem(plugin, hook, message)
        if self.strict:
            raise PluginError(plugin, hook, message)
        self.problems.append(problem)

    def register(self, obj: object, name: str, source: str, version: str) -> bool:
        """Register one plugin object; False (and a problem recorded) if pluggy refuses it."""
        if self.pm.has_plugin(name) or name in self.info:
            self.fail(name, None, f"a plugin named '{name}' is already registered (from {source})")
            return False
        try:
            self.pm.register(obj, name=name)
        except BaseException as exc:  # pluggy.PluginValidationError and anything else
            if isinstance(exc, KeyboardInterrupt):
                raise
            self.fail(name, None, f"cannot be registered: {exc}")
            return False
        self.info[name] = PluginInfo(name, source, version)
        return True

    def load_defaults(self, allowed: set[str] | None) -> None:
        for name, module in DEFAULT_PLUGINS:
            if allowed is None or name in allowed:
                self._import_and_register(name, module, "built-in", self._package_version)

    def load_entry_points(self, allowed: set[str] | None) -> None:
        for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if allowed is not None and ep.name not in allowed:
                continue
            dist = getattr(ep, "dist", None)
            version = dist.version if dist is not None else "?"
            try:
                obj = ep.load()
            except BaseException as exc:  # SystemExit too: a plugin must not end the run
                if isinstance(exc, KeyboardInterrupt):
                    raise
                self.fail(ep.name, None, f"failed to import ({ep.value}): {_describe(exc)}")
                continue
            source = f"entry point {ep.value}" + (f" ({dist.name})" if dist is not None else "")
            self.register(obj, ep.name, source, version)

    def load_paths(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files = sorted(p for p in path.glob("*.py") if not p.name.startswith("_"))
                if not files:
                    raise ConfigError(f"{path}: plugin folder holds no .py files")
            elif path.is_file():
                files = [path]
            else:
                raise ConfigError(f"{path}: no such plugin file or folder")
            for file in files:
                self._load_file(file)

    def load_objects(self, objects: Iterable[object]) -> None:
        for number, obj in enumerate(objects, 1):
            name = getattr(obj, "name", None) or getattr(obj, "__name__", None)
            if not isinstance(name, str) or not name:
                name = f"{type(obj).__name__}-{number}"
            self.register(obj, name, "object passed to Engine", _version_of(obj))

    def check_pending(self) -> None:
        """Refuse plugins with hook functions no spec knows (a misspelled hook name)."""
        for hook_name in dir(self.pm.hook):
            caller = getattr(self.pm.hook, hook_name)
            if hook_name.startswith("_") or not hasattr(caller, "get_hookimpls"):
                continue
            if caller.has_spec():
                continue
            for impl in caller.get_hookimpls():
                self.fail(
                    impl.plugin_name,
                    hook_name,
                    "implements a hook that does not exist; known hooks: "
                    + ", ".join(sorted(_spec_names())),
                )
                self.unregister(impl.plugin_name)

    def unregister(self, name: str) -> None:
        plugin = self.pm.get_plugin(name)
        if plugin is not None:
            self.pm.unregister(plugin, name=name)
        self.info.pop(name, None)

    def _import_and_register(self, name: str, module: str, source: str, version: str) -> None:
        try:
            obj = _plugin_object(importlib.import_module(module))
        except BaseException as exc:  # SystemExit too: a plugin must not end the run
            if isinstance(exc, KeyboardInterrupt):
                raise
            self.fail(name, None, f"failed to import {module}: {_describe(exc)}")
            return
        self.register(obj, name, source, version)

    def _load_file(self, file: Path) -> None:
        if self._already_loaded(file):
            return  # installed and also named with --plugin: one plugin, loaded once
        installed = self._installed_copy(file)
        if installed is not None:
            self.unregister(installed)  # the source named with --plugin stands in for it
        name = installed or (file.parent.name if file.stem == "__init__" else file.stem)
        module_name = f"policy_classifier_plugin_{abs(hash(str(file.resolve())))}_{name}"
        try:
            spec = importlib.util.spec_from_file_location(module_name, file)
            if spec is None or spec.loader is None:
                raise ImportError("not a Python file")
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        except BaseException as exc:  # SystemExit too: a plugin must not end the run
            if isinstance(exc, KeyboardInterrupt):
                raise
            sys.modules.pop(module_name, None)
            self.fail(name, None, f"failed to import {file}: {_describe(exc)}")
            return
        self.register(_plugin_object(module), name, str(file), _version_of(module))


    def _installed_copy(self, file: Path) -> str | None:
        """The entry-point plugin that is ``file``'s module installed elsewhere: the same import
        name (the package's, for an ``__init__.py``) loaded from site-packages. An author who
        installed a plugin (``pip install .``) and checks its source with ``--plugin`` means the
        source; loading both failed with "action type already registered"."""
        import_name = file.parent.name if file.stem == "__init__" else file.stem
        for name, obj in self.pm.list_name_plugin():
            info = self.info.get(name)
            if info is None or not info.source.startswith("entry point"):
                continue
            module = _module_of(obj)
            if module is not None and module.__name__.split(".")[0] == import_name:
                return name
        return None

    def _already_loaded(self, file: Path) -> bool:
        """Is ``file`` the source of a plugin registered already (an entry point's module)?
        Following an example plugin's README -- install it, then test its rules with
        ``--plugin .../__init__.py`` -- loaded it twice and failed with "action type already
        registered"."""
        target = file.resolve()
        for _, obj in self.pm.list_name_plugin():
            source = getattr(_module_of(obj), "__file__", None)
            if source and Path(source).resolve() == target:
                return True
        return False


def gather_plugins(
    plugins: Iterable[object] = (),
    plugin_paths: Iterable[str | os.PathLike[str]] = (),
    entry_points: bool = True,
    strict: bool = False,
    env: Mapping[str, str] | None = None,
) -> PluginLoader:
    """Load every plugin source in the documented order: built-ins, entry points, paths, objects.

    The Engine and ``rules lint`` both start here, so they see the same plugins.
    """
    loader = PluginLoader(strict=strict)
    allowed = allowed_names(dict(env) if env is not None else None)
    loader.load_defaults(allowed)
    if entry_points:
        loader.load_entry_points(allowed)
    loader.load_paths(plugin_paths)
    loader.load_objects(plugins)
    loader.check_pending()
    return loader


def _module_of(plugin: object) -> ModuleType | None:
    """The module a registered plugin comes from: itself, or its object's module."""
    return plugin if isinstance(plugin, ModuleType) else inspect.getmodule(plugin)


def _plugin_object(module: ModuleType) -> object:
    """A module may expose its plugin as ``plugin`` (an instance holding state) or be one."""
    return getattr(module, "plugin", module)


def _spec_names() -> list[str]:
    return [n for n in dir(hookspecs) if n.startswith("policy_classifier_")]


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _version_of(obj: Any) -> str:
    version = getattr(obj, "__version__", None)
    return str(version) if version else "-"
