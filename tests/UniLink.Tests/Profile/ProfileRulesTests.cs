using UniLink.Features.Agents;
using UniLink.Features.Profile;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Profile;

public sealed class ProfileRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    [Fact]
    public async Task A_profile_keeps_a_name_a_free_address_a_known_availability_and_a_new_password_needs_the_current_one()
    {
        var user = await _server.CreateUserAsync(_account);
        var taken = await _server.CreateUserAsync(_account);
        Task<WriteResult<User>> UpdateAsync(ProfileChanges changes) => WithAsync<ProfileService, WriteResult<User>>(s => s.UpdateAsync(user.Id, changes));

        AssertRefused(await UpdateAsync(new ProfileChanges(Name: " ")), "name");
        AssertRefused(await UpdateAsync(new ProfileChanges(Email: "nobody")), "email");
        AssertRefused(await UpdateAsync(new ProfileChanges(Email: taken.Email.ToUpperInvariant())), "email");
        AssertRefused(await UpdateAsync(new ProfileChanges(Availability: "away")), "availability");
        AssertRefused(await UpdateAsync(new ProfileChanges(Password: "new-password-1", CurrentPassword: "wrong")), "current_password");
        AssertRefused(await UpdateAsync(new ProfileChanges(Password: "new-password-1", PasswordConfirmation: "other", CurrentPassword: user.Password)), "password_confirmation");
        Assert.Equal(user.Email, _server.Db(db => db.Users.Single(u => u.Id == user.Id).Email));

        var done = Assert.IsType<WriteResult<User>.Done>(await UpdateAsync(new ProfileChanges(Name: " Ann ", Availability: "busy"))).Value;
        Assert.Equal(("Ann", "busy"), (done.Name, done.AvailabilityStatus));
        Assert.IsType<WriteResult<User>.Missing>(await WithAsync<ProfileService, WriteResult<User>>(s => s.UpdateAsync(int.MaxValue, new ProfileChanges(Name: "x"))));
    }
}
