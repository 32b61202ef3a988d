"""Built-in action type ``rewards``: government rewards for information on wanted people."""

from ._action import ActionPlugin

plugin = ActionPlugin(
    "rewards",
    "Rewards or bounties offered by a government for information leading to an arrest, "
    "capture or conviction.",
)
